/**
 * The worst order we can construct for history (issue 9, defect 5), at production durations: 20 parcels (the policy's
 * cap: 19 outbound and one coming back), hundreds of carrier events (repeats, stale news, failed attempts), four
 * parcels the journey asks about every day for three weeks, a return and a bad review. The journey continues as new
 * whenever its run's history passes the budget; no run may reach 2,000 events, and every message goes exactly once.
 */
import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { journeyWorkflowId, orderSchema } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import {
  customerMessageFor,
  PROBLEM_STATUSES,
  type TrackingStatus,
  type TrackingUpdate,
} from '../../src/domain/tracking-status';
import type { CarrierTracking } from '../../src/providers/carriers/types';
import {
  addShipmentUpdate,
  journeyQuery,
  requestReturnUpdate,
  reviewSubmittedSignal,
  trackingEventSignal,
} from '../../src/workflows/definitions';
import type { JourneyView } from '../../src/workflows/journey-state';
import { anOrder } from '../helpers/fixtures';
import { DAY, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';
import { journeyInput } from '../../src/journeys/journey-start';

const HOUR = DAY / 24;
const WEEKS_OF_POLLING = 3;
/**
 * Time between rounds of carrier events. No wait in this test is a whole number of days: the journey's timers run in
 * days from the moment something happened, and a signal that lands just as a timer fires strands the run on the
 * time-skipping server (it refuses the completion that cancels the fired timer, temporalio/sdk-java#3088).
 */
const ROUND = 2 * HOUR + 10 * 60_000;

/**
 * A carrier whose slow parcels move every time it is asked — out for delivery, a failed attempt, back in transit — for
 * three weeks, then arrive. It answers in workflow time (when the poll was scheduled on the test server).
 */
class SlowCarrier implements CarrierTracking {
  readonly name = 'scripted';
  readonly slow = new Set<string>();
  /** Polls answered with news, per tracking number. */
  readonly answered = new Map<string, number>();
  deliverFrom = Infinity;
  async latestStatus(_carrier: string, trackingNumber: string): Promise<TrackingUpdate | null> {
    if (!this.slow.has(trackingNumber)) return null;
    const at = Context.current().info.currentAttemptScheduledTimestampMs;
    const n = (this.answered.get(trackingNumber) ?? 0) + 1;
    this.answered.set(trackingNumber, n);
    const cycle: TrackingStatus[] = ['out_for_delivery', 'attempt_failed', 'in_transit'];
    const status = at >= this.deliverFrom ? 'delivered' : cycle[n % cycle.length]!;
    return { status, occurredAt: new Date(at - 60_000).toISOString() };
  }
}

const carrier = new SlowCarrier();
let world: JourneyWorld;
beforeAll(async () => {
  world = await startJourneyWorld({ carriers: carrier });
});
afterAll(() => world?.stop());

async function until(
  handle: WorkflowHandle,
  predicate: (v: JourneyView) => boolean,
  what: string,
): Promise<JourneyView> {
  for (let i = 0; i < 600; i++) {
    const view = await handle.query(journeyQuery);
    if (predicate(view)) return view;
    await new Promise((r) => setTimeout(r, 100));
  }
  const view = await handle.query(journeyQuery);
  const summary = {
    stage: view.stage,
    parcels: view.shipments.map((s) => `${s.trackingNumber} ${s.status} ${JSON.stringify(s.statusCounts)}`),
    plan: view.plan,
    recent: view.timeline.slice(-15),
  };
  throw new Error(`never got to: ${what}\n${JSON.stringify(summary, null, 1)}`);
}

/** Every run of the journey, first to last, with its history length (following each continue-as-new). */
async function runsOf(workflowId: string, firstRunId: string): Promise<{ runId: string; events: number }[]> {
  const runs: { runId: string; events: number }[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await world.env.client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const events = history.events ?? [];
    runs.push({ runId, events: events.length });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

/** The messages a journey owes its customer for what its view shows happened, as "step/channel". */
function messagesOwed(view: JourneyView, rmaId: string): string[] {
  // Tips only after a carrier's delivery scan; here the journey went on at the fallback date.
  const tips = view.deliveryConfirmedBy === 'carrier' ? ['unboxing-tips'] : [];
  const steps = [
    'confirmation',
    ...tips,
    'review-request',
    'review-reminder',
    'review:SERUM-30:apology',
    `return:${rmaId}:accepted`,
    `return:${rmaId}:refund`,
  ];
  for (const parcel of view.shipments.filter((s) => s.direction === 'outbound')) {
    steps.push(`parcel:${parcel.trackingNumber}:shipped`);
    for (const [status, count] of Object.entries(parcel.statusCounts ?? {}) as [TrackingStatus, number][]) {
      const what = PROBLEM_STATUSES.has(status) ? status : customerMessageFor(status);
      if (!what) continue;
      for (let n = 1; n <= count; n++) steps.push(`parcel:${parcel.trackingNumber}:${what}${n > 1 ? `:${n}` : ''}`);
    }
  }
  return steps.flatMap((step) => [`${step}/email`, `${step}/sms`]).sort();
}

it('20 parcels, hundreds of carrier events, three weeks of polling, a return and a bad review: every run stays under 2,000 events, every message goes once', async () => {
  const order = orderSchema.parse(
    anOrder({
      channels: ['email', 'sms'],
      items: [
        { sku: 'SERUM-30', name: 'Vitamin C serum 30 ml', quantity: 10, unitPrice: '24.50', category: 'cosmetics' },
        { sku: 'TOWEL-01', name: 'Bamboo towel', quantity: 9, unitPrice: '10.90' },
      ],
      total: '343.10',
    }),
  );
  const handle = await world.env.client.workflow.start('orderJourney', {
    workflowId: journeyWorkflowId(order.orderId),
    taskQueue: world.taskQueue,
    args: [journeyInput(order, productionPolicy)], // the production budget
  });
  await until(handle, (v) => v.stage !== 'confirming', 'confirmed');
  const now = async () => new Date(await world.env.currentTimeMs());
  const t0 = (await now()).getTime();

  // 19 parcels of one item each: 15 reported by webhooks, 4 that only the journey's polling follows.
  const parcels = Array.from({ length: 19 }, (_, i) => ({
    trackingNumber: `1ZWORST${String(i + 1).padStart(2, '0')}`,
    sku: i < 10 ? 'SERUM-30' : 'TOWEL-01',
  }));
  const byWebhook = parcels.slice(0, 15);
  const slow = parcels.slice(15);
  for (const p of slow) carrier.slow.add(p.trackingNumber);
  carrier.deliverFrom = t0 + WEEKS_OF_POLLING * 7 * DAY;
  for (const p of parcels) {
    await handle.executeUpdate(addShipmentUpdate, {
      args: [{ carrier: 'ups', trackingNumber: p.trackingNumber, items: [{ sku: p.sku, quantity: 1 }] }],
    });
  }

  // Every webhook parcel gets fifteen carrier events, about two hours apart (repeats, duplicate ids, a failed attempt,
  // a second delivery attempt, redelivered webhooks, stale news after delivery); the slow parcels a repeated scan each.
  const signalsSent = new Map<string, number>();
  const says = async (trackingNumber: string, status: TrackingStatus, occurredAt: number, eventId?: string) => {
    signalsSent.set(trackingNumber, (signalsSent.get(trackingNumber) ?? 0) + 1);
    await handle.signal(trackingEventSignal, {
      trackingNumber,
      status,
      occurredAt: new Date(occurredAt).toISOString(),
      ...(eventId ? { eventId } : {}),
    });
  };
  const script: [TrackingStatus, string | undefined, number][] = [
    ['label_created', 'e1', 0],
    ['label_created', 'e1', 0],
    ['in_transit', 'e2', 0],
    ['in_transit', 'e3', 0],
    ['in_transit', 'e2', 0],
    ['out_for_delivery', 'e4', 0],
    ['out_for_delivery', 'e4', 0],
    ['attempt_failed', 'e5', 0],
    ['attempt_failed', 'e5', 0],
    ['out_for_delivery', 'e6', 0],
    ['delivered', 'e7', 0],
    ['delivered', 'e7', 0],
    ['delivered', 'e7', 0],
    ['in_transit', 'e0', -20 * HOUR], // arrived late
    ['delivered', undefined, -1], // the same scan again, without an id
  ];
  const deliveredScanAt = new Map<string, number>();
  for (const [status, eventId, shift] of script) {
    await world.env.sleep(ROUND);
    const at = (await now()).getTime();
    for (const p of byWebhook) {
      const occurredAt = shift === -1 ? deliveredScanAt.get(p.trackingNumber)! : at + shift;
      if (status === 'delivered' && eventId) deliveredScanAt.set(p.trackingNumber, occurredAt);
      await says(p.trackingNumber, status, occurredAt, eventId ? `${p.trackingNumber}-${eventId}` : undefined);
    }
    for (const p of slow) await says(p.trackingNumber, 'label_created', t0, `${p.trackingNumber}-label`);
  }

  // A bad review of the serum, long before the review request (which then asks about the towels only).
  await handle.signal(reviewSubmittedSignal, { sku: 'SERUM-30', rating: 1, text: 'it stings' });

  // Three weeks of daily questions to the carrier about the slow parcels, until they arrive. Meanwhile the journey has
  // stopped waiting for them (the delivery fallback date, eight days in) and sent its review request and reminder.
  await world.env.sleep(WEEKS_OF_POLLING * 7 * DAY + 2 * DAY + 5 * HOUR);
  await until(
    handle,
    (v) =>
      v.messages.filter((m) => m.messageType === 'delivered').length === 38 &&
      v.messages.some((m) => m.messageType === 'review_reminder'),
    'everything delivered, review reminder sent',
  );

  // A return; its parcel is the twentieth: a twenty-first is refused.
  const { rmaId } = await handle.executeUpdate(requestReturnUpdate, {
    args: [{ items: [{ sku: 'TOWEL-01', quantity: 1 }], reason: 'too small' }],
  });
  await world.env.sleep(DAY + 5 * HOUR);
  await handle.executeUpdate(addShipmentUpdate, {
    args: [{ carrier: 'ups', trackingNumber: '1ZBACK01', items: [{ sku: 'TOWEL-01', quantity: 1 }], rmaId }],
  });
  await expect(
    handle.executeUpdate(addShipmentUpdate, {
      args: [{ carrier: 'ups', trackingNumber: '1ZBACK02', items: [{ sku: 'TOWEL-01', quantity: 1 }], rmaId }],
    }),
  ).rejects.toThrow();
  for (const status of ['label_created', 'in_transit', 'delivered'] as const) {
    await world.env.sleep(19 * HOUR);
    await says('1ZBACK01', status, (await now()).getTime());
  }

  // Days pass until the return window closes. A skip that does not come back means a stranded workflow task (see
  // ROUND).
  for (let day = 0; day < 20 && (await handle.describe()).status.name === 'RUNNING'; day++) {
    let timeout: NodeJS.Timeout | undefined;
    const skipped = await Promise.race([
      world.env.sleep(DAY + 3 * HOUR).then(() => true),
      new Promise((r) => (timeout = setTimeout(() => r(false), 20_000))),
    ]);
    clearTimeout(timeout);
    if (!skipped)
      throw new Error(
        `time stopped on day ${day} after the return: ${JSON.stringify((await handle.query(journeyQuery)).plan)}`,
      );
  }
  expect(await handle.result()).toEqual({ orderId: order.orderId, stage: 'completed' });

  // Every run stayed well under Temporal's limits.
  const runs = await runsOf(handle.workflowId, handle.firstExecutionRunId);
  const largest = Math.max(...runs.map((r) => r.events));
  const total = runs.reduce((sum, r) => sum + r.events, 0);
  console.info(
    `worst case: ${runs.length} runs, ${total} events in all, largest run ${largest} events (${runs.map((r) => r.events).join(' + ')})`,
  );
  expect(runs.length).toBeGreaterThan(1);
  expect(largest).toBeLessThan(2_000);

  const view = await handle.query(journeyQuery);
  expect(view.stage).toBe('completed');
  expect(view.deliveryConfirmedBy).toBe('fallback');
  // Each handover is on the journey's timeline (support sees why the run changed).
  const handovers = view.timeline.filter((t) => t.event.includes('continues in a new run'));
  expect(handovers).toHaveLength(runs.length - 1);
  console.info(`worst case handovers: ${handovers.map((t) => `${t.at} ${t.event}`).join('; ')}`);
  expect(view.shipments).toHaveLength(20);
  // No carrier news was lost across the handovers: each parcel applied or ignored every update it got.
  for (const parcel of view.shipments) {
    const applied = Object.values(parcel.statusCounts ?? {}).reduce((sum, n) => sum + n, 0);
    const received = (signalsSent.get(parcel.trackingNumber) ?? 0) + (carrier.answered.get(parcel.trackingNumber) ?? 0);
    expect({ parcel: parcel.trackingNumber, seen: applied + parcel.ignoredUpdates }).toEqual({
      parcel: parcel.trackingNumber,
      seen: received,
    });
  }
  const slowParcel = view.shipments.find((s) => s.trackingNumber === slow[0]!.trackingNumber)!;
  expect(carrier.answered.get(slowParcel.trackingNumber)).toBeGreaterThanOrEqual(WEEKS_OF_POLLING * 7 - 1);
  expect(slowParcel.statusCounts?.attempt_failed).toBeGreaterThanOrEqual(5);

  // Every message once: none twice in the journey, none asked of the ledger twice, none missing for what happened.
  const sent = view.messages.map((m) => `${m.step}/${m.channel}`).sort();
  expect(sent.filter((m, i) => sent[i - 1] === m)).toEqual([]);
  expect(view.messages.filter((m) => m.status !== 'sent')).toEqual([]);
  expect(sent).toEqual(messagesOwed(view, rmaId));
  const ledger = await world.pool.query<{ step: string; channel: string; attempts: number }>(
    'SELECT step, channel, attempts FROM message_ledger WHERE journey_id = $1',
    [handle.workflowId],
  );
  expect(ledger.rows.map((r) => `${r.step}/${r.channel}`).sort()).toEqual(sent);
  expect(ledger.rows.filter((r) => r.attempts !== 1)).toEqual([]);
  const outbox = await world.outbox.list({ orderId: order.orderId, limit: 1_000 });
  expect(outbox.filter((m) => m.journeyId === handle.workflowId)).toHaveLength(sent.length);
  console.info(
    `worst case: ${sent.length} messages, ${view.supportCases.length} support cases, ${[...signalsSent.values()].reduce((a, b) => a + b, 0)} carrier signals, ${[...carrier.answered.values()].reduce((a, b) => a + b, 0)} polls answered`,
  );
}, 300_000);
