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
 * goes out at once). Each send is timed when the server dispatched it to a worker — its ActivityTaskStarted event in
 * the journey's history — which is what the limit paces; the ledger's sent_at would add the activity's own work (claim
 * the ledger row, send, record), which bunches up when the machine is busy with other test files.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createPool } from '../../src/db/pool';
import { journeyWorkflowId, orderSchema, type Channel } from '../../src/domain/order';
import { channelTaskQueue } from '../../src/domain/task-queues';
import { productionPolicy } from '../../src/domain/policy';
import type { WorkerGroup } from '../../src/temporal/journey-workers';
import { anOrder } from '../helpers/fixtures';
import { createTestWorker, startDevServerEnv } from '../helpers/temporal';
import { journeyInput } from '../../src/journeys/journey-start';

const N = 60;
const LIMIT = 10;
const PARTITIONS = 4; // the server's default matching.numTaskqueueReadPartitions
const BURST = PARTITIONS * Math.ceil(LIMIT / PARTITIONS);
/** Slack for the server's clock reads and the bucket's refill granularity (dispatch times are the server's own). */
const JITTER_S = 0.2;
const taskQueue = 'rate-limit-test';
// Enough connections that sends never wait for one (the burst finishes in the time the limit allows).
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
        args: [journeyInput(order, productionPolicy)],
      }),
    ),
  );
  return orders.map((o) => o.orderId);
}

/**
 * When the server dispatched each confirmation send to a worker, per channel, once all of them are sent. The ledger
 * says "sent" inside the activity, a moment before its completion (and with it its ActivityTaskStarted event) is in
 * the history, so the histories are read until every send is there.
 */
async function sendTimes(orderIds: string[]): Promise<Record<Channel, number[]>> {
  const deadline = Date.now() + 25_000;
  for (;;) {
    const { rows } = await pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM message_ledger
       WHERE order_id = ANY($1) AND step = 'confirmation' AND status = 'sent'`,
      [orderIds],
    );
    const sent = rows[0]!.count === 2 * orderIds.length;
    const times = sent ? await dispatchTimes(orderIds) : undefined;
    if ((times && times.email.length + times.sms.length === 2 * orderIds.length) || Date.now() > deadline) {
      expect(rows[0]!.count).toBe(2 * orderIds.length);
      expect(times?.email).toHaveLength(orderIds.length);
      expect(times?.sms).toHaveLength(orderIds.length);
      return times!;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The ActivityTaskStarted times of the sends (email and SMS queues) recorded so far in these journeys, sorted. */
async function dispatchTimes(orderIds: string[]): Promise<Record<Channel, number[]>> {
  const times: Record<Channel, number[]> = { email: [], sms: [] };
  for (const orderId of orderIds) {
    const history = await env.client.workflow.getHandle(journeyWorkflowId(orderId)).fetchHistory();
    const channelOf = new Map<string, Channel>();
    for (const event of history.events ?? []) {
      const queue = event.activityTaskScheduledEventAttributes?.taskQueue?.name;
      for (const channel of ['email', 'sms'] as const)
        if (queue === channelTaskQueue(taskQueue, channel)) channelOf.set(String(event.eventId), channel);
      const started = event.activityTaskStartedEventAttributes;
      const channel = started && channelOf.get(String(started.scheduledEventId));
      if (channel) times[channel].push(Number(event.eventTime!.seconds) * 1000 + event.eventTime!.nanos! / 1e6);
    }
  }
  return { email: times.email.sort((a, b) => a - b), sms: times.sms.sort((a, b) => a - b) };
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
