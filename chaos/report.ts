/**
 * Judging a scenario against the control run: per journey i, the (step, channel) set in the ledger and the set of
 * messages the providers accepted must equal control journey i's; a ledger id accepted more than once is a duplicate a
 * customer saw; an expected message never accepted is missing (or, when the ledger says so, recorded as failed).
 */
import { lifecycleLine, type LifecycleFacts } from './lifecycle-check';
import { STUCK_ATTEMPTS, type JourneyOutcome, type ReplaySummary } from './observe';

/** What control journey i defines for journey i of every other scenario. */
export interface Baseline {
  ledgerKeys: Set<string>;
  sentKeys: Set<string>;
}

export interface MessageCounts {
  /** Messages control journey i had sent, over the journeys that have a baseline. */
  expected: number;
  /** Distinct messages a provider accepted, over the same journeys (comparable with `expected`). */
  sent: number;
  /** The same over every journey of the scenario, baseline or not. */
  sentAll: number;
  duplicated: number;
  missing: number;
  unexpected: number;
  recordedFailed: number;
}

export interface ScenarioResult {
  scenario: string;
  seconds: number;
  journeys: {
    total: number;
    completed: number;
    failed: string[];
    stuck: { workflowId: string; attempts: number; reason?: string }[];
    /** Running, not stuck: still waiting when the scenario stopped looking. */
    unfinished: string[];
    wrongStage: { workflowId: string; status: string; stage?: string; expected: string }[];
    notFound: string[];
    /** Ledger or provider sends differ from control journey i's. */
    differingFromControl: {
      workflowId: string;
      kind: string;
      missing: string[];
      unexpected: string[];
      ledgerOnlyHere: string[];
      ledgerOnlyInControl: string[];
    }[];
    withoutBaseline: number;
    scriptProblems: { workflowId: string; problems: string[] }[];
  };
  messages: MessageCounts & {
    /**
     * `explained`: the ledger counted an attempt without an answer (worker killed mid-call), the one way left to send
     * twice.
     */
    duplicatedLedgerIds: { workflowId: string; step: string; channel: string; accepted: number; explained: boolean }[];
    missingList: string[];
    unexpectedList: string[];
    recordedFailedByType: Record<string, number>;
    /** Recorded failed although the fault was shorter than the type's retry window: counted as missing too. */
    gaveUpEarly: string[];
    refusedByProviders: number;
  };
  replay: { replayed: number; nondeterminism: number; nondeterminismList: string[]; otherErrors: string[] };
  faults: Record<string, unknown>;
  /** The customers' lifecycle workflows (chaos/lifecycle-check.ts); absent in runs from before they existed. */
  customers?: LifecycleFacts | { error: string };
}

const key = (step: string, channel: string) => `${step} / ${channel}`;
const ACCEPTED_STATUSES = new Set(['sent', 'delivered']);

export function baselineOf(outcome: JourneyOutcome): Baseline | undefined {
  if (outcome.status !== 'COMPLETED' || outcome.finalStage !== outcome.plan.expectedStage) return undefined;
  return {
    ledgerKeys: new Set(outcome.ledger.map((r) => key(r.normalizedStep, r.channel))),
    sentKeys: new Set(
      outcome.ledger
        .filter((r) => (outcome.sends.get(r.id)?.accepted ?? 0) > 0)
        .map((r) => key(r.normalizedStep, r.channel)),
    ),
  };
}

export function judgeScenario(
  scenario: string,
  seconds: number,
  outcomes: JourneyOutcome[],
  baselines: Map<number, Baseline> | 'self',
  replay: ReplaySummary,
  scriptProblems: { workflowId: string; problems: string[] }[],
  faults: Record<string, unknown>,
  /** Whether the scenario's fault may legitimately exhaust a message type's retry window (default: any may). */
  mayGiveUp: (messageType: string) => boolean = () => true,
): ScenarioResult {
  const j: ScenarioResult['journeys'] = {
    total: outcomes.length,
    completed: 0,
    failed: [],
    stuck: [],
    unfinished: [],
    wrongStage: [],
    notFound: [],
    differingFromControl: [],
    withoutBaseline: 0,
    scriptProblems: scriptProblems.filter((p) => p.problems.length),
  };
  const m: ScenarioResult['messages'] = {
    expected: 0,
    sent: 0,
    sentAll: 0,
    duplicated: 0,
    missing: 0,
    unexpected: 0,
    recordedFailed: 0,
    duplicatedLedgerIds: [],
    missingList: [],
    unexpectedList: [],
    recordedFailedByType: {},
    gaveUpEarly: [],
    refusedByProviders: 0,
  };

  for (const o of outcomes) {
    const expectedStage = o.plan.expectedStage;
    if (o.status === 'COMPLETED' && o.finalStage === expectedStage) j.completed += 1;
    else if (o.status === 'FAILED') j.failed.push(o.workflowId);
    else if (o.status === 'NOT_FOUND') j.notFound.push(o.workflowId);
    else if (o.status === 'RUNNING' && o.taskAttempts >= STUCK_ATTEMPTS)
      j.stuck.push({ workflowId: o.workflowId, attempts: o.taskAttempts, reason: o.taskFailure });
    else if (o.status === 'RUNNING') j.unfinished.push(o.workflowId);
    else
      j.wrongStage.push({ workflowId: o.workflowId, status: o.status, stage: o.finalStage, expected: expectedStage });

    // What the providers did for this journey.
    const sentKeys = new Set<string>();
    for (const row of o.ledger) {
      const sends = o.sends.get(row.id) ?? { accepted: 0, refused: 0 };
      m.refusedByProviders += sends.refused;
      if (sends.accepted > 0) sentKeys.add(key(row.normalizedStep, row.channel));
      if (sends.accepted > 1) {
        m.duplicated += 1;
        m.duplicatedLedgerIds.push({
          workflowId: o.workflowId,
          step: row.step,
          channel: row.channel,
          accepted: sends.accepted,
          explained: row.uncertainAttempts > 0,
        });
      }
      if (row.status === 'failed')
        m.recordedFailedByType[row.messageType] = (m.recordedFailedByType[row.messageType] ?? 0) + 1;
    }
    m.sentAll += sentKeys.size;

    // What should have happened: control's journey i, or (for control itself) what its own ledger says went out.
    const baseline =
      baselines === 'self'
        ? {
            ledgerKeys: new Set(o.ledger.map((r) => key(r.normalizedStep, r.channel))),
            sentKeys: new Set(
              o.ledger.filter((r) => ACCEPTED_STATUSES.has(r.status)).map((r) => key(r.normalizedStep, r.channel)),
            ),
          }
        : baselines.get(o.plan.index);
    if (!baseline) {
      j.withoutBaseline += 1;
      continue;
    }
    m.expected += baseline.sentKeys.size;
    m.sent += sentKeys.size;
    const failedRows = o.ledger.filter((r) => r.status === 'failed');
    for (const r of failedRows.filter((row) => !mayGiveUp(row.messageType)))
      m.gaveUpEarly.push(`${o.workflowId}: ${key(r.normalizedStep, r.channel)}`);
    // A give-up the fault cannot explain (its window outlasts the fault) is a lost message, not a policy outcome.
    const failedHere = new Set(
      failedRows.filter((r) => mayGiveUp(r.messageType)).map((r) => key(r.normalizedStep, r.channel)),
    );
    const missing = [...baseline.sentKeys].filter((k) => !sentKeys.has(k) && !failedHere.has(k));
    const recordedFailed = [...baseline.sentKeys].filter((k) => !sentKeys.has(k) && failedHere.has(k));
    const unexpected = [...sentKeys].filter((k) => !baseline.sentKeys.has(k));
    const ledgerKeys = new Set(o.ledger.map((r) => key(r.normalizedStep, r.channel)));
    const ledgerOnlyHere = [...ledgerKeys].filter((k) => !baseline.ledgerKeys.has(k));
    const ledgerOnlyInControl = [...baseline.ledgerKeys].filter((k) => !ledgerKeys.has(k));
    m.missing += missing.length;
    m.recordedFailed += recordedFailed.length;
    m.unexpected += unexpected.length;
    m.missingList.push(...missing.map((k) => `${o.workflowId}: ${k}`));
    m.unexpectedList.push(...unexpected.map((k) => `${o.workflowId}: ${k}`));
    if (
      missing.length ||
      unexpected.length ||
      recordedFailed.length ||
      ledgerOnlyHere.length ||
      ledgerOnlyInControl.length
    ) {
      j.differingFromControl.push({
        workflowId: o.workflowId,
        kind: o.plan.kind,
        missing: [...missing, ...recordedFailed.map((k) => `${k} (recorded failed)`)],
        unexpected,
        ledgerOnlyHere,
        ledgerOnlyInControl,
      });
    }
  }

  return {
    scenario,
    seconds,
    journeys: j,
    messages: m,
    replay: {
      replayed: replay.replayed,
      nondeterminism: replay.nondeterminism.length,
      nondeterminismList: replay.nondeterminism,
      otherErrors: replay.otherErrors,
    },
    faults,
  };
}

/** The one printed line per scenario. */
export function summaryLine(r: ScenarioResult): string {
  const { journeys: j, messages: m } = r;
  const ids = (list: string[]) =>
    list.length ? ` [${list.slice(0, 5).join(', ')}${list.length > 5 ? ', …' : ''}]` : '';
  return (
    `${r.scenario}: journeys ${j.completed}/${j.total} completed, messages ${m.expected} expected / ${m.sent} sent / ` +
    `${m.duplicated} duplicated (${m.duplicatedLedgerIds.filter((d) => !d.explained).length} unexplained) / ${m.missing} missing (${m.unexpected} unexpected, ${m.recordedFailed} recorded failed); ` +
    `failed ${j.failed.length}${ids(j.failed)}, stuck ${j.stuck.length}${ids(j.stuck.map((s) => s.workflowId))}, ` +
    `unfinished ${j.unfinished.length}, differing from control ${j.differingFromControl.length}, ` +
    `nondeterministic on replay ${r.replay.nondeterminism}/${r.replay.replayed}${baselineNote(r)}${faultSuffix(r)}` +
    `${r.customers ? `; ${lifecycleLine(r.customers)}` : ''} (${Math.round(r.seconds)} s)`
  );
}

/** Messages are compared only where control journey i completed: say so when that is not every journey. */
function baselineNote(r: ScenarioResult): string {
  const { total, withoutBaseline } = r.journeys;
  if (!withoutBaseline || r.scenario === 'control') return '';
  return `; messages compared on ${total - withoutBaseline}/${total} journeys (control's others did not complete; ${r.messages.sentAll} sent over all)`;
}

/** The fault's own outcome, when it has one worth a glance: kills done, what the API answered, orders kept. */
function faultSuffix(r: ScenarioResult): string {
  const f = r.faults as {
    kills?: number;
    downSeconds?: number;
    injectionError?: string;
    apiAnswersDuringFaults?: {
      total: number;
      status500: number;
      status503WithRetryAfter: number;
      status503WithoutRetryAfter: number;
      noAnswer: number;
    };
    orders?: { got201: number; withoutJourney: string[]; answersToRetriedPost: Record<string, number> };
  };
  const parts: string[] = [];
  const died = (r.faults as { unexpectedExits?: { worker: number; api: number } }).unexpectedExits;
  const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
  if (died?.worker) parts.push(`worker died by itself ${times(died.worker)}`);
  if (died?.api) parts.push(`API died by itself ${times(died.api)}`);
  if (f.injectionError) parts.push(`fault injection failed: ${f.injectionError}`);
  if (f.kills !== undefined) parts.push(`${f.kills} worker kill${f.kills === 1 ? '' : 's'}`);
  if (r.scenario === 'postgres-outage' && f.apiAnswersDuringFaults) {
    const a = f.apiAnswersDuringFaults;
    parts.push(
      `API while PostgreSQL was down: ${a.total} answers, ${a.status500} × 500, ${a.status503WithRetryAfter} × 503 with Retry-After, ${a.status503WithoutRetryAfter} × 503 without`,
    );
  }
  if (r.scenario === 'provider-outage') {
    const byType = Object.entries(r.messages.recordedFailedByType).map(([type, n]) => `${type} ${n}`);
    parts.push(
      `recorded failed by type: ${byType.length ? byType.join(', ') : 'none'} (${r.messages.gaveUpEarly.length} before their window ran out); ${r.messages.refusedByProviders} sends refused`,
    );
  }
  const accepted = (r.faults as { acceptedDuringOutage?: Record<string, number> }).acceptedDuringOutage;
  if (r.scenario === 'provider-failover' && accepted) {
    parts.push(
      `accepted during the outage: ${Object.entries(accepted)
        .map(([provider, n]) => `${provider} ${n}`)
        .join(', ')}`,
    );
  }
  if (f.orders) {
    const retried = Object.entries(f.orders.answersToRetriedPost)
      .map(([status, n]) => `${status} × ${n}`)
      .join(', ');
    parts.push(
      `${f.orders.got201} orders got 201, ${f.orders.withoutJourney.length} of them without a journey; retried POSTs: ${retried}`,
    );
  }
  return parts.length ? `; ${parts.join('; ')}` : '';
}
