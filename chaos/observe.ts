/**
 * What became of each journey, read from the three places that know: Temporal (status, final stage, a workflow task
 * that keeps failing), the message ledger in PostgreSQL, and the provider stubs (what customers actually got).
 * Also replays every finished journey's history on the current workflow code to catch nondeterminism.
 */
import type * as WorkflowBundleModule from '../src/temporal/workflow-bundle';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Client as PgClient } from 'pg';
import { encryptedDataConverter } from '../src/temporal/data-converter';
import { parseKeyRing } from '../src/temporal/encryption-codec';
import type { ProviderRequest } from './provider-stubs';
import { ENCRYPTION_KEYS } from './stack';
import { normalizeStep, type JourneyPlan } from './workload';

/** A journey whose workflow task has failed this many times in a row is stuck (one or two follow any worker kill). */
export const STUCK_ATTEMPTS = 3;

export interface LedgerRow {
  id: string;
  journeyId: string;
  step: string;
  channel: string;
  messageType: string;
  status: string;
  errorCode: string | null;
  /** Attempts that got no answer from the provider (src/db/ledger.ts): a duplicate here is explained. */
  uncertainAttempts: number;
}

export interface JourneyState {
  workflowId: string;
  /** RUNNING, COMPLETED, FAILED, TERMINATED, …, or NOT_FOUND. */
  status: string;
  finalStage?: string;
  taskAttempts: number;
  /** Why its workflow task fails, when it does (the last WorkflowTaskFailed event). */
  taskFailure?: string;
}

export interface JourneyOutcome extends JourneyState {
  plan: JourneyPlan;
  ledger: (LedgerRow & { normalizedStep: string })[];
  /** Per ledger id: requests the provider accepted (2xx) and refused. */
  sends: Map<string, { accepted: number; refused: number }>;
}

export async function describeJourney(client: Client, workflowId: string): Promise<JourneyState> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const d = await handle.describe();
    const state: JourneyState = {
      workflowId,
      status: d.status.name,
      taskAttempts: d.raw.pendingWorkflowTask?.attempt ?? 0,
    };
    if (d.status.name === 'COMPLETED')
      state.finalStage = ((await handle.result()) as { stage?: string } | undefined)?.stage;
    return state;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { workflowId, status: 'NOT_FOUND', taskAttempts: 0 };
    return { workflowId, status: `UNKNOWN (${(err as Error).message.slice(0, 80)})`, taskAttempts: 0 };
  }
}

/**
 * Waits until every journey has closed, or until `timeoutMs`, or until the ones still open have all been stuck for
 * a while with nothing else moving. Returns the last state of each.
 */
export async function waitForJourneys(
  client: Client,
  plans: JourneyPlan[],
  timeoutMs: number,
  say: (msg: string) => void,
  pollMs = 5_000,
): Promise<Map<string, JourneyState>> {
  const states = new Map<string, JourneyState>();
  const deadline = Date.now() + timeoutMs;
  let lastOpen = Infinity;
  let stuckSince = 0;
  for (;;) {
    const open = plans.filter((p) => !isClosed(states.get(p.workflowId)));
    await forEachLimited(open, 16, async (p) => {
      states.set(p.workflowId, await describeJourney(client, p.workflowId));
    });
    const stillOpen = open.filter((p) => !isClosed(states.get(p.workflowId)));
    const allStuck =
      stillOpen.length > 0 && stillOpen.every((p) => (states.get(p.workflowId)?.taskAttempts ?? 0) >= STUCK_ATTEMPTS);
    if (stillOpen.length === 0 || Date.now() > deadline) break;
    if (allStuck && stillOpen.length === lastOpen) {
      stuckSince ||= Date.now();
      if (Date.now() - stuckSince > 30_000) break; // nothing moves but failing tasks: they will not heal by themselves
    } else stuckSince = 0;
    if (stillOpen.length !== lastOpen) say(`  ${plans.length - stillOpen.length}/${plans.length} journeys closed`);
    lastOpen = stillOpen.length;
    await sleep(pollMs);
  }
  // Why the stuck ones are stuck, from their histories.
  for (const state of states.values()) {
    if (state.status === 'RUNNING' && state.taskAttempts >= 2)
      state.taskFailure = await lastTaskFailure(client, state.workflowId);
  }
  return states;
}

function isClosed(state: JourneyState | undefined): boolean {
  return state !== undefined && state.status !== 'RUNNING' && !state.status.startsWith('UNKNOWN');
}

async function lastTaskFailure(client: Client, workflowId: string): Promise<string | undefined> {
  try {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const last = (history.events ?? [])
      .filter((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes)
      .at(-1);
    if (last?.workflowTaskTimedOutEventAttributes)
      return 'workflow task timed out (the worker died or hung while running it)';
    return last?.workflowTaskFailedEventAttributes?.failure?.message?.slice(0, 200) ?? undefined;
  } catch {
    return undefined;
  }
}

export async function readLedger(databaseUrl: string, workflowIds: string[]): Promise<LedgerRow[]> {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const { rows } = await pg.query<LedgerRow>(
      `SELECT id, journey_id AS "journeyId", step, channel, message_type AS "messageType", status, error_code AS "errorCode",
         uncertain_attempts AS "uncertainAttempts"
       FROM message_ledger WHERE journey_id = ANY($1)`,
      [workflowIds],
    );
    return rows;
  } finally {
    await pg.end();
  }
}

/** Puts Temporal's, the ledger's and the providers' view of each journey together. */
export function collectOutcomes(
  plans: JourneyPlan[],
  states: Map<string, JourneyState>,
  ledger: LedgerRow[],
  requests: ProviderRequest[],
): JourneyOutcome[] {
  const sendsByLedgerId = new Map<string, { accepted: number; refused: number }>();
  for (const r of requests) {
    // A repeat Resend answered with the first email's id reaches no customer a second time.
    if (!r.ledgerId || r.idempotentRepeat) continue;
    const s = sendsByLedgerId.get(r.ledgerId) ?? { accepted: 0, refused: 0 };
    if (r.status >= 200 && r.status < 300) s.accepted += 1;
    else s.refused += 1;
    sendsByLedgerId.set(r.ledgerId, s);
  }
  return plans.map((plan) => {
    const rows = ledger
      .filter((row) => row.journeyId === plan.workflowId)
      .map((row) => ({ ...row, normalizedStep: normalizeStep(plan, row.step) }));
    const sends = new Map(
      rows.filter((row) => sendsByLedgerId.has(row.id)).map((row) => [row.id, sendsByLedgerId.get(row.id)!]),
    );
    return {
      plan,
      ...(states.get(plan.workflowId) ?? { workflowId: plan.workflowId, status: 'UNKNOWN', taskAttempts: 0 }),
      ledger: rows,
      sends,
    };
  });
}

export interface ReplaySummary {
  replayed: number;
  nondeterminism: string[];
  otherErrors: string[];
}

let bundle: Promise<WorkflowBundle> | undefined;

/**
 * The replay worker's own state changes are noise in the suite's output (jest's setup may have installed one already).
 */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  } catch {
    // already installed
  }
}

let bundledFrom: string | undefined;

/** The workflow code of the run's snapshot, bundled once (the worker bundles the same files at every start). */
function workflowBundle(treeRoot: string): Promise<WorkflowBundle> {
  quietRuntime();
  if (bundledFrom !== treeRoot) {
    bundledFrom = treeRoot;
    // With the snapshot's interceptors, as its worker bundles them: one of them merges a journey's search-attribute
    // upserts (src/workflows/search-attribute-upserts.ts), so a replay without it would not be the worker's.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the snapshot's module, known only at run time
    const snapshot = require(path.join(treeRoot, 'src', 'temporal', 'workflow-bundle')) as typeof WorkflowBundleModule;
    bundle = bundleWorkflowCode({
      workflowsPath: path.join(treeRoot, 'src', 'workflows'),
      workflowInterceptorModules: snapshot.WORKFLOW_INTERCEPTOR_MODULES,
      logger: new DefaultLogger('ERROR'),
    });
  }
  return bundle!;
}

/** Replays every closed journey's history on the current workflow code with the service's data converter. */
export async function replayClosedJourneys(
  client: Client,
  workflowIds: string[],
  treeRoot: string,
): Promise<ReplaySummary> {
  const summary: ReplaySummary = { replayed: 0, nondeterminism: [], otherErrors: [] };
  if (!workflowIds.length) return summary;
  const histories: HistoryAndWorkflowId[] = [];
  await forEachLimited(workflowIds, 8, async (workflowId) => {
    try {
      histories.push({ workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() });
    } catch (err) {
      summary.otherErrors.push(`${workflowId}: history not fetched (${(err as Error).message.slice(0, 80)})`);
    }
  });
  const options = {
    workflowBundle: await workflowBundle(treeRoot),
    dataConverter: encryptedDataConverter(parseKeyRing(ENCRYPTION_KEYS)),
    replayName: 'chaos',
  };
  for await (const result of Worker.runReplayHistories(options, histories)) {
    summary.replayed += 1;
    if (!result.error) continue;
    const line = `${result.workflowId}: ${result.error.message.slice(0, 160)}`;
    if (result.error instanceof DeterminismViolationError || /nondetermin/i.test(result.error.message))
      summary.nondeterminism.push(line);
    else summary.otherErrors.push(line);
  }
  return summary;
}

/** Every execution the server lists as Failed (journeys and anything they started). */
export async function listFailed(client: Client): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: 'ExecutionStatus="Failed"' })) ids.push(wf.workflowId);
  return ids;
}

export async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
