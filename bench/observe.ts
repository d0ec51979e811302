/** Waiting for workflows and reading their times, through the server's visibility store and describe. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { ProviderStub } from '../chaos/provider-stubs';

/** Waits until no workflow matching `query` runs any more (or `timeoutMs` passes); answers how many still run. */
export async function waitUntilClosed(
  client: Client,
  query: string,
  timeoutMs: number,
  pollMs = 2_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A count the busy dev server fails to answer (its visibility store is SQLite) is asked again.
    const count = await client.workflow.count(`${query} AND ExecutionStatus="Running"`).then(
      (c) => c.count,
      (err: Error) => {
        if (Date.now() > deadline) throw err;
        return -1;
      },
    );
    if (count === 0 || (count > 0 && Date.now() > deadline)) return count;
    await sleep(pollMs);
  }
}

export interface ClosedExecution {
  workflowId: string;
  status: string;
  startMs: number;
  closeMs: number;
}

export async function closedExecutions(client: Client, query: string): Promise<ClosedExecution[]> {
  const out: ClosedExecution[] = [];
  for await (const w of client.workflow.list({ query: `${query} AND ExecutionStatus!="Running"` })) {
    out.push({
      workflowId: w.workflowId,
      status: w.status.name,
      startMs: w.startTime.getTime(),
      closeMs: w.closeTime?.getTime() ?? NaN,
    });
  }
  return out;
}

/** Requests a provider stub accepted, per journey id (SendGrid's custom_args.journeyId). */
export function acceptedByJourney(stub: ProviderStub, ids: Set<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of stub.requests)
    if (r.journeyId && ids.has(r.journeyId) && r.status < 300) out.set(r.journeyId, (out.get(r.journeyId) ?? 0) + 1);
  return out;
}

/**
 * Waits until the stub has accepted at least `perJourney` requests for each id; answers how many ids fell short. Gives
 * up once `timeoutMs` passes with no id newly complete (a backlog still draining keeps it waiting), or at `maxMs`.
 */
export async function waitForSends(
  stub: ProviderStub,
  ids: string[],
  perJourney: number,
  timeoutMs: number,
  maxMs = timeoutMs,
): Promise<number> {
  const set = new Set(ids);
  const hardDeadline = Date.now() + maxMs;
  let lastShort = Infinity;
  let stallDeadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = acceptedByJourney(stub, set);
    const short = ids.filter((id) => (counts.get(id) ?? 0) < perJourney).length;
    if (short < lastShort) [lastShort, stallDeadline] = [short, Date.now() + timeoutMs];
    if (short === 0 || Date.now() > Math.min(stallDeadline, hardDeadline)) return short;
    await sleep(500);
  }
}

/** Waits until each of a few workflows has closed (describe, no visibility query); answers how many still run. */
export async function waitUntilEachClosed(
  client: Client,
  workflowIds: string[],
  timeoutMs: number,
  pollMs = 1_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = await Promise.all(
      workflowIds.map((id) =>
        client.workflow
          .getHandle(id)
          .describe()
          .then(
            (d) => d.status.name === 'RUNNING',
            () => true,
          ),
      ),
    );
    const left = running.filter(Boolean).length;
    if (left === 0 || Date.now() > deadline) return left;
    await sleep(pollMs);
  }
}
