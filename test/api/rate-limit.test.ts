/**
 * Provider quotas under a burst, on the Temporal dev server: 60 orders arrive at once, each journey sends its
 * confirmation by email and SMS, and the email and SMS task queues are limited to 10 sends per second each
 * (maxTaskQueueActivitiesPerSecond, enforced by the Temporal server for the whole queue, whatever the number of
 * workers).
 *
 * What the server guarantees, and so what is asserted: it splits a task queue into partitions (4 by default) and
 * dispatches each partition's activities through a token bucket refilled at its share of the limit (limit / 4) and
 * holding ceil(limit / 4) tokens. For the whole queue that is a refill of `limit` per second and a burst of
 * B = 4 × ceil(limit / 4) (12 for 10/s). From full buckets, N sends take at least (N − B) / limit seconds, and no
 * window of T seconds holds more than B + limit × T sends. Not guaranteed: an even spread within a second (the burst
 * goes out at once). The ledger's sent_at is stamped a few milliseconds after dispatch (the activity claims its ledger
 * row, sends, records), so the windows allow a little jitter; the stack is warmed up first, because on a cold start the
 * first sends' slower execution bunches their sent_at together even though their dispatch was paced.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createPool } from '../../src/db/pool';
import { journeyWorkflowId, orderSchema } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import type { WorkerGroup } from '../../src/temporal/journey-workers';
import { anOrder } from '../helpers/fixtures';
import { createTestWorker, startDevServerEnv } from '../helpers/temporal';

const N = 60;
const LIMIT = 10;
const PARTITIONS = 4; // the server's default matching.numTaskqueueReadPartitions
const BURST = PARTITIONS * Math.ceil(LIMIT / PARTITIONS);
/**
 * How much the delay from dispatch to sent_at may vary between sends (claim the ledger row, send, record; slower when
 * the machine is busy with other test files): a window of sent_at of T seconds spans at most T + JITTER_S of dispatch.
 */
const JITTER_S = 0.4;
const taskQueue = 'rate-limit-test';
// Enough connections that sends never queue for one (that would bunch their sent_at together).
const pool = createPool(process.env.TEST_DATABASE_URL!, 30);
let env: TestWorkflowEnvironment;
let worker: WorkerGroup;
let running: Promise<void>;

beforeAll(async () => {
  env = await startDevServerEnv();
  worker = await createTestWorker(env, taskQueue, pool, {
    rateLimits: { emailPerSecond: LIMIT, smsPerSecond: LIMIT },
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await pool.end();
});

async function placeOrders(count: number) {
  const orders = Array.from({ length: count }, () => orderSchema.parse(anOrder({ channels: ['email', 'sms'] })));
  await Promise.all(
    orders.map((order) =>
      env.client.workflow.start('orderJourney', {
        workflowId: journeyWorkflowId(order.orderId),
        taskQueue,
        args: [{ order, policy: productionPolicy }],
      }),
    ),
  );
  return orders.map((o) => o.orderId);
}

/** The confirmations' send times, once all of them are sent. */
async function sendTimes(orderIds: string[]): Promise<Record<'email' | 'sms', number[]>> {
  const deadline = Date.now() + 25_000;
  for (;;) {
    const { rows } = await pool.query<{ channel: 'email' | 'sms'; sentAt: Date }>(
      `SELECT channel, sent_at AS "sentAt" FROM message_ledger
       WHERE order_id = ANY($1) AND step = 'confirmation' AND status = 'sent' ORDER BY sent_at`,
      [orderIds],
    );
    if (rows.length === 2 * orderIds.length || Date.now() > deadline) {
      expect(rows).toHaveLength(2 * orderIds.length);
      const of = (channel: string) => rows.filter((r) => r.channel === channel).map((r) => r.sentAt.getTime());
      return { email: of('email'), sms: of('sms') };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The most sends in any window of `windowMs` (sliding, anchored at each send). */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

it(`a burst of ${N} orders never sends faster than the providers' quotas (${LIMIT}/s per channel)`, async () => {
  await sendTimes(await placeOrders(1)); // warm up: connections open, code loaded
  await new Promise((r) => setTimeout(r, 1_500)); // the buckets fill up again: the burst starts from a full one

  const times = await sendTimes(await placeOrders(N));

  for (const channel of ['email', 'sms'] as const) {
    const sent = times[channel];
    const seconds = (sent.at(-1)! - sent[0]!) / 1000;
    const perSecond: number[] = [];
    for (const t of sent)
      perSecond[Math.floor((t - sent[0]!) / 1000)] = (perSecond[Math.floor((t - sent[0]!) / 1000)] ?? 0) + 1;
    const busiest = { 1: busiestWindow(sent, 1000), 2: busiestWindow(sent, 2000), 4: busiestWindow(sent, 4000) };
    console.info(
      `${channel}: ${N} sends in ${seconds.toFixed(2)} s at ${LIMIT}/s; per second from the first: [${perSecond.map((n) => n ?? 0).join(', ')}]; ` +
        `busiest 1 s / 2 s / 4 s: ${busiest[1]} / ${busiest[2]} / ${busiest[4]}`,
    );
    expect(seconds).toBeGreaterThanOrEqual((N - BURST) / LIMIT - JITTER_S);
    for (const [window, count] of Object.entries(busiest))
      expect(count).toBeLessThanOrEqual(Math.floor(BURST + LIMIT * (Number(window) + JITTER_S)));
  }
}, 60_000);
