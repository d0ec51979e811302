/**
 * The whole journey over HTTP on the Temporal dev server with the demo policy (a journey "day" lasts a second):
 * checkout places the order, fulfilment ships it, the carrier reports, support acts — and everyone reads the journey
 * back, from the API and from Temporal's visibility and UI metadata.
 */
import request from 'supertest';
import { demoPolicy } from '../../src/domain/policy';
import { anOrder, HAPPY_PATH_EMAILS } from '../helpers/fixtures';
import { eventually, startApiWorld, TEST_KEYS, type ApiWorld } from '../helpers/api-world';

const CHECKOUT = TEST_KEYS.checkout;
const SUPPORT = TEST_KEYS.support;
let world: ApiWorld;
let env: ApiWorld['env'];
let app: ApiWorld['app'];

beforeAll(async () => {
  world = await startApiWorld('journey-e2e', demoPolicy);
  ({ env, app } = world);
});

afterAll(() => world?.stop());

const post = (path: string, auth: string, body: object) =>
  request(app).post(path).set('Authorization', auth).send(body);
const journeyOf = async (orderId: string) =>
  (await request(app).get(`/v1/orders/${orderId}/journey`).set('Authorization', SUPPORT).expect(200)).body;

async function placeOrder() {
  const order = anOrder({ channels: ['email'] });
  await post('/v1/orders', CHECKOUT, order).expect(201);
  await eventually(
    async () => ((await journeyOf(order.orderId)).stage === 'awaiting_shipment' ? true : undefined),
    'confirmation',
  );
  return order;
}

describe('a journey over HTTP (demo policy)', () => {
  it('happy path: placed, shipped, delivered, tips, review request and reminder, readable in the API and in Temporal', async () => {
    const order = await placeOrder();
    const items = order.items.map(({ sku, quantity }) => ({ sku, quantity }));
    const shipment = { carrier: 'ups', trackingNumber: '1ZE2E0001', items };
    const shipped = await post(`/v1/orders/${order.orderId}/shipments`, CHECKOUT, shipment).expect(201);
    expect(shipped.body).toEqual({ shipmentId: 'S1', created: true });
    await post(`/v1/orders/${order.orderId}/shipments`, CHECKOUT, shipment).expect(200, {
      shipmentId: 'S1',
      created: false,
    });

    for (const status of ['in_transit', 'out_for_delivery', 'delivered']) {
      await post(`/v1/orders/${order.orderId}/tracking-events`, CHECKOUT, {
        trackingNumber: '1ZE2E0001',
        status,
        occurredAt: new Date().toISOString(),
        eventId: `e2e-${status}`,
      }).expect(202);
    }

    const journey = await eventually(async () => {
      const j = await journeyOf(order.orderId);
      return j.messages.some((m: { messageType: string }) => m.messageType === 'review_reminder') ? j : undefined;
    }, 'the review reminder');
    expect(journey.messages.map((m: { messageType: string }) => m.messageType)).toEqual(HAPPY_PATH_EMAILS);
    expect(journey.shipments[0]).toMatchObject({
      trackingNumber: '1ZE2E0001',
      status: 'delivered',
      trackingUrl: expect.stringContaining('ups.com'),
    });
    expect(journey.stage).toBe('closing');
    expect(journey.plan).toEqual([expect.objectContaining({ step: 'return-window', dueAt: expect.any(String) })]);

    // Support finds it in Temporal by stage and parcel status, and the UI shows a summary and current details.
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of env.client.workflow.list({
        query: `JourneyStage = "closing" AND ShipmentStatus = "delivered" AND OrderId = "${order.orderId}"`,
      }))
        ids.push(wf.workflowId);
      return ids.length ? ids : undefined;
    }, 'the journey by stage in visibility');
    expect(found).toEqual([`order-${order.orderId}`]);
    const handle = env.client.workflow.getHandle(`order-${order.orderId}`);
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(`Order ${order.orderId} · 2 items · 59.90 EUR`);
    const metadata = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('**Stage:** closing');
    expect(metadata.currentDetails).toContain('UPS 1ZE2E0001: delivered');
    expect(metadata.currentDetails).not.toContain(order.email);
  });

  it('support: cancel before shipment → 200; a parcel for the cancelled order → 409', async () => {
    const order = await placeOrder();
    const cancelled = await post(`/v1/orders/${order.orderId}/cancel`, SUPPORT, { reason: 'customer asked' }).expect(
      200,
    );
    expect(cancelled.body).toEqual({ status: 'cancelled', cancelledAt: expect.any(String) });
    await eventually(
      async () => ((await journeyOf(order.orderId)).stage === 'cancelled' ? true : undefined),
      'cancelled',
    );
    const refused = await post(`/v1/orders/${order.orderId}/shipments`, CHECKOUT, {
      carrier: 'dhl',
      trackingNumber: 'DHL999',
      items: [{ sku: order.items[0]!.sku, quantity: 1 }],
    }).expect(409);
    expect(refused.body.error).toMatchObject({
      code: 'journey_ended',
      message: `order ${order.orderId} was cancelled`,
    });
  });

  it('support: cancel after shipment → 409 "already shipped; start a return"; a return before delivery → 409 with the reason', async () => {
    const order = await placeOrder();
    await post(`/v1/orders/${order.orderId}/shipments`, CHECKOUT, {
      carrier: 'dhl',
      trackingNumber: 'DHL1000',
      items: [{ sku: order.items[0]!.sku, quantity: 1 }],
    }).expect(201);
    const cancel = await post(`/v1/orders/${order.orderId}/cancel`, SUPPORT, { reason: 'too late' }).expect(409);
    expect(cancel.body.error).toEqual({ code: 'refused', message: 'already shipped; start a return', details: null });
    const ret = await post(`/v1/orders/${order.orderId}/returns`, SUPPORT, {
      items: [{ sku: order.items[0]!.sku, quantity: 1 }],
      reason: 'x',
    }).expect(409);
    expect(ret.body.error.message).toBe('the order has not been delivered yet');
  });

  it('clear 4xx answers: unknown order 404, unknown parcel 404, bad status 400 naming the field, wrong role 403', async () => {
    const order = await placeOrder();
    await post('/v1/orders/nope-123/shipments', CHECKOUT, {
      carrier: 'ups',
      trackingNumber: '1ZNOPE01',
      items: [{ sku: 'X', quantity: 1 }],
    }).expect(404);
    const unknownParcel = await post(`/v1/orders/${order.orderId}/tracking-events`, CHECKOUT, {
      trackingNumber: 'NOTOURS1',
      status: 'delivered',
      occurredAt: new Date().toISOString(),
    }).expect(404);
    expect(unknownParcel.body.error.code).toBe('not_in_order');
    const badStatus = await post(`/v1/orders/${order.orderId}/tracking-events`, CHECKOUT, {
      trackingNumber: 'NOTOURS1',
      status: 'teleported',
      occurredAt: new Date().toISOString(),
    }).expect(400);
    expect(badStatus.body.error.details[0].path).toBe('status');
    await post(`/v1/orders/${order.orderId}/cancel`, CHECKOUT, { reason: 'x' }).expect(403);
    const badReview = await post(`/v1/orders/${order.orderId}/reviews`, CHECKOUT, {
      sku: order.items[0]!.sku,
      rating: 6,
    }).expect(400);
    expect(badReview.body.error.details[0].path).toBe('rating');
    await post(`/v1/orders/${order.orderId}/reviews`, CHECKOUT, { sku: 'NOT-OURS', rating: 4 }).expect(404);
    await post(`/v1/orders/${order.orderId}/reviews`, CHECKOUT, { sku: order.items[0]!.sku, rating: 4 }).expect(202);
    await post(`/v1/orders/${order.orderId}/shipments`, CHECKOUT, {
      carrier: 'ups',
      trackingNumber: '1ZMORE01',
      items: [{ sku: 'NOT-OURS', quantity: 1 }],
    }).expect(409);
  });
});
