/**
 * Returns with a prepaid label: support accepts a return, the journey buys the label (EasyPost's SDK against local
 * stand-ins of its Shipments and Trackers APIs), the customer's "return accepted" message carries the label and the
 * return's tracking number, and the return parcel is tracked like any other until the refund. A label is bought once
 * per return however often its activity runs; without one the customer gets the plain instructions.
 */
import type { Pool } from 'pg';
import { ReturnLabels } from '../../src/db/return-labels';
import { EasyPostTracking } from '../../src/providers/carriers/easypost';
import { EasyPostReturnLabels } from '../../src/providers/return-labels/easypost';
import { createTestWorker, journeyActivities } from '../helpers/temporal';
import { startEasyPostStub, type CarrierStub } from '../helpers/carrier-stubs';
import { startShipmentsStub, UNDELIVERABLE_STREET, type ShipmentsStub } from '../helpers/easypost-shipments-stub';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';
import type { OrderInput } from '../../src/domain/order';

const API_KEY = 'EZTKtest0123456789abcdef';
const HOUR = 3_600_000;
const SHIPPING_ADDRESS = { street1: 'Brīvības iela 1-2', city: 'Riga', zip: 'LV-1011', country: 'LV' };

let shipments: ShipmentsStub;
let trackers: CarrierStub;
let world: JourneyWorld;
/** The same Temporal server and database, with a worker that has no label provider. */
let withoutLabels: JourneyWorld;

beforeAll(async () => {
  shipments = await startShipmentsStub();
  trackers = await startEasyPostStub();
  const returnLabels = (pool: Pool) => ({
    provider: new EasyPostReturnLabels({
      apiKey: API_KEY,
      baseUrl: `${shipments.url}/v2`,
      returnAddress: {
        company: 'Test Shop Returns',
        street1: '1 Warehouse Road',
        city: 'Riga',
        zip: 'LV-1010',
        country: 'LV',
      },
      parcel: { weightOz: 24 },
      timeoutMs: 1_500, // a purchase answered later than this times out (the retry story below)
    }),
    records: new ReturnLabels(pool),
  });
  world = await startJourneyWorld();
  // The journey worker of `world` runs the test harness's default activities: swap in one with labels and EasyPost
  // tracking on a queue of its own.
  const labelled = `${world.taskQueue}-labels`;
  const worker = await createTestWorker(world.env, labelled, world.pool, {
    activities: journeyActivities(world.pool, {
      returnLabels: returnLabels(world.pool),
      carriers: new EasyPostTracking({ apiKey: API_KEY, baseUrl: `${trackers.url}/v2` }),
    }),
  });
  const running = worker.run();
  const base = world;
  withoutLabels = base;
  world = {
    ...base,
    taskQueue: labelled,
    stop: async () => {
      worker.shutdown();
      await running;
      await base.stop();
    },
  };
});
afterAll(async () => {
  await world?.stop();
  await shipments?.stop();
  await trackers?.stop();
});

/** An order delivered now, 20 days before support opens the return. */
async function deliveredOrder(on: JourneyWorld, overrides: Partial<OrderInput> = {}) {
  const story = await OrderStory.place(on, { shippingAddress: SHIPPING_ADDRESS, ...overrides });
  const trackingNumber = `OUT${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.carrierSays(trackingNumber, 'delivered');
  await story.until((v) => v.stage === 'delivered', 'delivered');
  await story.wait(20 * DAY);
  return story;
}

async function returnAccepted(story: OrderStory, channel: 'email' | 'sms') {
  await story.until(
    (v) => v.messages.some((m) => m.messageType === 'return_accepted' && m.channel === channel),
    `return accepted ${channel}`,
  );
  const messages = await story.world.outbox.list({ orderId: story.order.orderId });
  return messages.find((m) => m.messageType === 'return_accepted' && m.channel === channel)!;
}

const purchasesFor = (rmaId: string) => shipments.purchases.filter((p) => p.reference === rmaId);

it('a delivered order’s return gets one prepaid label: its link and tracking number in the message, its parcel tracked to the refund', async () => {
  const story = await deliveredOrder(world);
  const { rmaId } = await story.requestReturn([{ sku: 'TOWEL-01', quantity: 1 }], 'wrong colour');

  const email = await returnAccepted(story, 'email');
  const sms = await returnAccepted(story, 'sms');
  const [purchase] = purchasesFor(rmaId);
  expect(purchasesFor(rmaId)).toHaveLength(1);
  const labelUrl = `https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/20261124/${purchase!.shipmentId.slice(4)}.png`;
  expect(email.textBody).toContain(labelUrl);
  expect(email.textBody).toContain(`Your return's tracking number: ${purchase!.trackingNumber}`);
  expect(email.htmlBody).toContain(`${purchase!.shipmentId.slice(4)}.png`); // the button's link (HTML-escaped)
  expect(sms.textBody).toContain(purchase!.trackingNumber);
  expect(sms.textBody).toContain(labelUrl);

  // The return parcel is the journey's own: registered from the label, followed by the tracking provider.
  const view = await story.until((v) => v.shipments.some((s) => s.rmaId === rmaId), 'return parcel registered');
  expect(view.shipments.find((s) => s.rmaId === rmaId)).toMatchObject({
    direction: 'return',
    carrier: 'usps',
    trackingNumber: purchase!.trackingNumber,
    items: [{ sku: 'TOWEL-01', quantity: 1 }],
  });
  expect(view.returns[0]!.label).toEqual({
    status: 'bought',
    carrier: 'usps',
    trackingNumber: purchase!.trackingNumber,
  });
  await story.until(() => trackers.calls.some((c) => c.body.includes(purchase!.trackingNumber)), 'tracker registered');

  await story.wait(2 * DAY);
  await story.carrierSays(purchase!.trackingNumber, 'in_transit');
  await story.wait(3 * DAY);
  await story.carrierSays(purchase!.trackingNumber, 'delivered');
  const received = await story.until((v) => v.returns[0]?.status === 'received', 'return received');
  expect(received.supportCases).toEqual([]);
  await story.until((v) => v.messages.some((m) => m.messageType === 'refund_confirmed'), 'refund confirmed');
  expect(await story.receivedTypes()).toEqual(expect.arrayContaining(['return_accepted', 'refund_confirmed']));
  expect(purchasesFor(rmaId)).toHaveLength(1);
});

it('the label activity retried after a timeout buys no second label', async () => {
  const story = await deliveredOrder(world, { channels: ['email'] });
  shipments.answerNextPurchaseAfter(4_000); // EasyPost buys at once but answers after the adapter gave up
  const { rmaId } = await story.requestReturn([{ sku: 'SERUM-30', quantity: 2 }], 'allergic');

  const email = await returnAccepted(story, 'email');
  const purchases = purchasesFor(rmaId);
  expect(purchases).toHaveLength(1);
  expect(email.textBody).toContain(purchases[0]!.trackingNumber);
  const buys = shipments.calls.filter((c) => c === `POST /v2/shipments/${purchases[0]!.shipmentId}/buy`);
  expect(buys).toHaveLength(1); // the retry asked about the shipment and found its label
  // Temporal ran the activity twice: the first attempt timed out waiting for EasyPost's answer.
  const { events } = await story.handle.fetchHistory();
  const scheduled = events!.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'buyReturnLabel',
  );
  const started = events!.find(
    (e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled!.eventId),
  );
  expect(started!.activityTaskStartedEventAttributes!.attempt).toBe(2);
  expect(await new ReturnLabels(world.pool).get(rmaId)).toMatchObject({
    status: 'bought',
    shipmentId: purchases[0]!.shipmentId,
    trackingNumber: purchases[0]!.trackingNumber,
  });
});

it('a purchase EasyPost refuses goes to support, and the customer gets the plain instructions', async () => {
  const story = await deliveredOrder(world, {
    channels: ['email'],
    shippingAddress: { ...SHIPPING_ADDRESS, street1: UNDELIVERABLE_STREET },
  });
  const { rmaId } = await story.requestReturn([{ sku: 'TOWEL-01', quantity: 1 }]);

  const email = await returnAccepted(story, 'email');
  expect(email.textBody).toContain(`write ${rmaId} on the parcel`);
  expect(email.textBody).not.toContain('easypost-files');
  expect(purchasesFor(rmaId)).toEqual([]);
  const view = await story.view();
  expect(view.supportCases).toEqual([
    expect.objectContaining({ kind: 'return_label_refused', caseKey: `return:${rmaId}:label` }),
  ]);
  expect(view.supportCases[0]!.summary).toContain('422 ADDRESS.VERIFY.FAILURE');
  expect(view.supportCases[0]!.summary).not.toContain(UNDELIVERABLE_STREET); // no address in a case summary
  expect(view.returns[0]!.label).toEqual({ status: 'refused' });
  expect(view.shipments.filter((s) => s.direction === 'return')).toEqual([]);
  expect(await new ReturnLabels(world.pool).get(rmaId)).toMatchObject({
    status: 'refused',
    refusalCode: '422 ADDRESS.VERIFY.FAILURE',
  });
  expect(await world.supportCases.forOrder(story.order.orderId)).toEqual([
    expect.objectContaining({ kind: 'return_label_refused' }),
  ]);
});

it('without a label provider the message says how to send the parcel back, as before', async () => {
  const story = await deliveredOrder(withoutLabels, { channels: ['email'] });
  const { rmaId } = await story.requestReturn([{ sku: 'TOWEL-01', quantity: 1 }]);

  const email = await returnAccepted(story, 'email');
  expect(email.textBody).toContain(`write ${rmaId} on the parcel and send it back`);
  expect(email.textBody).not.toContain('easypost-files');
  expect(purchasesFor(rmaId)).toEqual([]);
  const view = await story.view();
  expect(view.returns[0]!.label).toEqual({ status: 'not_configured' });
  expect(view.supportCases).toEqual([]);
  expect(view.timeline.map((t) => t.event)).toContain(`return ${rmaId}: plain instructions (no return label provider)`);
});

it('EasyPost down for the two hours a label may take: support is told, the plain instructions go, the journey goes on', async () => {
  const story = await deliveredOrder(world, { channels: ['email'] });
  shipments.failNext(Number.MAX_SAFE_INTEGER, 503, 'SERVICE.UNAVAILABLE');
  try {
    const { rmaId } = await story.requestReturn([{ sku: 'TOWEL-01', quantity: 1 }]);
    await story.wait(3 * HOUR);

    const email = await returnAccepted(story, 'email');
    expect(email.textBody).toContain(`write ${rmaId} on the parcel`);
    const view = await story.view();
    expect(view.returns[0]!.label).toEqual({ status: 'failed' });
    expect(view.supportCases).toEqual([
      expect.objectContaining({ kind: 'return_label_failed', caseKey: `return:${rmaId}:label` }),
    ]);
    expect(purchasesFor(rmaId)).toEqual([]);
  } finally {
    shipments.failNext(0, 503, 'SERVICE.UNAVAILABLE');
  }
  expect((await story.handle.describe()).status.name).toBe('RUNNING'); // waiting for the parcel, as after any return
});
