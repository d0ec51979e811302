/**
 * P3 — history and actions: one journey per story through the API (demo policy), each counted from its history once it
 * has closed: events, bytes, Temporal Cloud actions by kind. Plus one replenishment chain followed to its end (three
 * unanswered reminders, at a two-"day" interval so that it ends within the bench), counted per reminder.
 */
import type { Client } from '@temporalio/client';
import { CHAOS_KEYS } from '../chaos/stack';
import { replenishmentWorkflowId } from '../src/domain/replenishment';
import { countHistory, shapeOf, type HistoryCount } from './actions';
import type { JourneyShape } from './baseline/workflows';
import { BenchHttp } from './http';
import { waitUntilEachClosed } from './observe';
import { runTag, SERUM } from './orders';
import type { BenchStack } from './stack';
import { playStory, STORIES, type Story } from './stories';

/** P2 and P3 order a serum whose reminders come after the bench has ended: their chains stay asleep meanwhile. */
export const LATE_REPLENISHMENT_DAYS = 1_000;

export interface P3Result {
  stories: Record<Story, HistoryCount & { status: string; messages: number }>;
  replenishmentChain?: HistoryCount & { status: string; reminders: number; actionsPerReminder: number };
  /** The happy path's shape, which P2's baseline workflow copies. */
  happyShape: JourneyShape;
}

export async function benchHistory(b: BenchStack, say: (m: string) => void): Promise<P3Result> {
  const client = await b.stack.client();
  const http = new BenchHttp(b.stack.apiUrl, CHAOS_KEYS);
  const tag = runTag();
  const ids = Object.fromEntries(STORIES.map((s) => [s, `p3${tag}-${s}`])) as Record<Story, string>;
  const chainOrder = `p3${tag}-chain`;
  say(`P3: ${STORIES.join(', ')} and a replenishment chain (demo policy)`);
  const played = await Promise.all(
    [
      ...STORIES.map((s) => playStory(http, s, ids[s], LATE_REPLENISHMENT_DAYS)),
      playStory(http, 'happy', chainOrder, 2),
    ].map((p, k) =>
      p.catch((err: Error) => {
        say(`  ${STORIES[k] ?? 'chain'} script failed (${err.message}); its journey is counted as it stands`);
        return { refusedUpdates: 0 };
      }),
    ),
  );
  http.close();
  const chainId = replenishmentWorkflowId(`cus-${chainOrder}`, SERUM.sku);
  const journeys = [...Object.values(ids), chainOrder].map((id) => `order-${id}`);
  const left = await waitUntilEachClosed(client, journeys, 180_000);
  if (left) say(`  ${left} P3 journeys still running after 3 minutes: counted as they are`);
  await waitUntilEachClosed(client, [chainId], 90_000);

  const stories = {} as P3Result['stories'];
  let happyShape: JourneyShape | undefined;
  for (const [k, s] of STORIES.entries()) {
    const { count, shape, status } = await read(client, `order-${ids[s]}`);
    // Refused updates (a return asked before the delivery was taken in) are billed but leave no event.
    const refused = played[k]!.refusedUpdates;
    if (refused) {
      count.byKind['update refused (counted by the script)'] = refused;
      count.actions += refused;
    }
    stories[s] = { ...count, status, messages: await sentMessages(b.stack.database.url, `order-${ids[s]}`) };
    if (s === 'happy') happyShape = shape;
    say(`  ${s}: ${count.events} events, ${count.actions} actions, ${(count.bytes / 1024).toFixed(1)} KiB, ${status}`);
  }
  let replenishmentChain: P3Result['replenishmentChain'];
  try {
    // The chain continues as new after each reminder: every run is counted.
    const runs: HistoryCount[] = [];
    let status = 'UNKNOWN';
    for await (const run of client.workflow.list({ query: `WorkflowId="${chainId}"` })) {
      runs.push(countHistory(await client.workflow.getHandle(chainId, run.runId).fetchHistory()));
      if (run.status.name !== 'CONTINUED_AS_NEW') status = run.status.name;
    }
    const count = sumCounts(runs);
    const reminders = await sentMessages(b.stack.database.url, chainId);
    replenishmentChain = {
      ...count,
      status,
      reminders,
      actionsPerReminder: reminders ? Math.round((count.actions / reminders) * 10) / 10 : NaN,
    };
    say(
      `  replenishment chain: ${runs.length} runs, ${count.events} events, ${count.actions} actions for ${reminders} reminders, ${status}`,
    );
  } catch (err) {
    say(`  replenishment chain not read: ${(err as Error).message}`);
  }
  return { stories, ...(replenishmentChain ? { replenishmentChain } : {}), happyShape: happyShape! };
}

async function read(client: Client, workflowId: string) {
  const handle = client.workflow.getHandle(workflowId);
  const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
  return { count: countHistory(history), shape: shapeOf(history), status: description.status.name };
}

/** Messages the ledger recorded as sent for one journey (or chain). */
async function sentMessages(databaseUrl: string, journeyId: string): Promise<number> {
  const { Client: Pg } = await import('pg');
  const pg = new Pg({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ n: string }>(
      `SELECT count(*) AS n FROM message_ledger WHERE journey_id = $1 AND status IN ('sent', 'delivered')`,
      [journeyId],
    );
    return Number(rows[0]!.n);
  } finally {
    await pg.end();
  }
}

function sumCounts(counts: HistoryCount[]): HistoryCount {
  const byKind: Record<string, number> = {};
  for (const c of counts) for (const [k, n] of Object.entries(c.byKind)) byKind[k] = (byKind[k] ?? 0) + n;
  const sum = (f: (c: HistoryCount) => number) => counts.reduce((a, c) => a + f(c), 0);
  return { events: sum((c) => c.events), bytes: sum((c) => c.bytes), actions: sum((c) => c.actions), byKind };
}
