/**
 * The customers' lifecycle workflows after a scenario, judged like the journeys: each order's customer
 * (`cus-<orderId>` in this workload) has its `customer-<customerId>` workflow running (the order's journey told it by
 * signal-with-start), its history replays without nondeterminism, and no lifecycle message reached a provider twice
 * unless the ledger counted an unanswered attempt for it (a worker killed mid-call: the one known way left).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { customerWorkflowId } from '../src/domain/lifecycle';
import { replayClosedJourneys } from './observe';
import type { ProviderRequest } from './provider-stubs';

export interface LifecycleFacts {
  customers: number;
  running: number;
  /** Customers whose workflow is missing or not running, with its status. */
  notRunning: string[];
  /** Lifecycle messages (ledger rows of customer workflows) the providers accepted. */
  messagesSent: number;
  /** Ledger rows of customer workflows that more than one provider request delivered. */
  duplicated: { message: string; explained: boolean }[];
  /** The customer workflows' histories (running ones included) replayed on the scenario's code. */
  replay: { replayed: number; nondeterminism: string[]; otherErrors: string[] };
}

export async function checkCustomerLifecycles(
  client: Client,
  databaseUrl: string,
  orderIds: string[],
  requests: ProviderRequest[],
  treeRoot: string,
): Promise<LifecycleFacts> {
  const workflowIds = orderIds.map((orderId) => customerWorkflowId(`cus-${orderId}`));
  const statuses = await Promise.all(
    workflowIds.map(async (id) => {
      try {
        return [id, (await client.workflow.getHandle(id).describe()).status.name] as const;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return [id, 'NOT_FOUND'] as const;
        return [id, `UNKNOWN (${(err as Error).message})`] as const;
      }
    }),
  );
  const notRunning = statuses.filter(([, status]) => status !== 'RUNNING').map(([id, status]) => `${id}: ${status}`);
  const found = statuses.filter(([, status]) => status !== 'NOT_FOUND').map(([id]) => id);

  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  let rows: { id: string; journeyId: string; step: string; channel: string; uncertainAttempts: number }[];
  try {
    ({ rows } = await pg.query(
      `SELECT id, journey_id AS "journeyId", step, channel, uncertain_attempts AS "uncertainAttempts"
       FROM message_ledger WHERE journey_id = ANY($1)`,
      [workflowIds],
    ));
  } finally {
    await pg.end();
  }
  const accepted = new Map<string, number>();
  for (const r of requests)
    if (r.ledgerId && r.status >= 200 && r.status < 300 && !r.idempotentRepeat)
      accepted.set(r.ledgerId, (accepted.get(r.ledgerId) ?? 0) + 1);
  const sent = rows.filter((r) => (accepted.get(r.id) ?? 0) > 0);
  const replay = await replayClosedJourneys(client, found, treeRoot);
  return {
    customers: workflowIds.length,
    running: workflowIds.length - notRunning.length,
    notRunning,
    messagesSent: sent.length,
    duplicated: sent
      .filter((r) => accepted.get(r.id)! > 1)
      .map((r) => ({
        message: `${r.journeyId} ${r.step} ${r.channel}: ${accepted.get(r.id)}×`,
        explained: r.uncertainAttempts > 0,
      })),
    replay: { replayed: replay.replayed, nondeterminism: replay.nondeterminism, otherErrors: replay.otherErrors },
  };
}

/** Every customer workflow running and replaying, no unexplained duplicate; a check that could not run is not clean. */
export function lifecyclesClean(facts: LifecycleFacts | { error: string } | undefined): boolean {
  if (!facts) return true; // results of runs from before the customer workflow existed
  if ('error' in facts) return false;
  return (
    facts.notRunning.length === 0 &&
    facts.duplicated.every((d) => d.explained) &&
    facts.replay.nondeterminism.length === 0
  );
}

export function lifecycleLine(facts: LifecycleFacts | { error: string }): string {
  if ('error' in facts) return `customer lifecycles: not checked (${facts.error})`;
  const unexplained = facts.duplicated.filter((d) => !d.explained).length;
  return (
    `customer lifecycles: ${facts.running}/${facts.customers} running, ${facts.messagesSent} lifecycle messages sent, ` +
    `${facts.duplicated.length} duplicated (${unexplained} unexplained), nondeterministic on replay ` +
    `${facts.replay.nondeterminism.length}/${facts.replay.replayed}`
  );
}
