/**
 * The customers' lifecycle workflows after a scenario: each order's customer (`cus-<orderId>` in this workload) has
 * its `customer-<customerId>` workflow running (the order's journey told it by signal-with-start), and no lifecycle
 * message reached a provider twice. Reported in the scenario's facts; the journeys' own counts stay as they were.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { customerWorkflowId } from '../src/domain/lifecycle';
import type { ProviderRequest } from './provider-stubs';

export interface LifecycleFacts {
  customers: number;
  running: number;
  /** Customers whose workflow is missing or not running, with its status. */
  notRunning: string[];
  /** Lifecycle messages (ledger rows of customer workflows) the providers accepted. */
  messagesSent: number;
  /** Ledger rows of customer workflows that more than one provider request delivered. */
  duplicated: string[];
}

export async function checkCustomerLifecycles(
  client: Client,
  databaseUrl: string,
  orderIds: string[],
  requests: ProviderRequest[],
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

  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  let rows: { id: string; journeyId: string; step: string; channel: string }[];
  try {
    ({ rows } = await pg.query(
      `SELECT id, journey_id AS "journeyId", step, channel FROM message_ledger WHERE journey_id = ANY($1)`,
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
  return {
    customers: workflowIds.length,
    running: workflowIds.length - notRunning.length,
    notRunning,
    messagesSent: sent.length,
    duplicated: sent
      .filter((r) => accepted.get(r.id)! > 1)
      .map((r) => `${r.journeyId} ${r.step} ${r.channel}: ${accepted.get(r.id)}×`),
  };
}
