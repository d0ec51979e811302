/**
 * The typed client as backend teams use it: against the real API listening on 127.0.0.1, on the Temporal dev server
 * with the journey's workers, over real HTTP (fetch). Checkout places orders and ships them; support acts; every
 * refusal arrives as an OrderJourneysApiError with the API's status and code.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { OrderJourneysApiError, OrderJourneysClient, type JourneyView } from '@order-journeys/client';
import { loadConfig } from '../../src/config';
import { productionPolicy } from '../../src/domain/policy';
import { createPool } from '../../src/db/pool';
import { createLogger } from '../../src/logger';
import { buildApi, listen } from '../../src/server';
import type { WorkerGroup } from '../../src/temporal/journey-workers';
import { testPool } from '../helpers/database';
import { anOrder } from '../helpers/fixtures';
import { freePort } from '../helpers/postgres';
import { createTestWorker, startDevServerEnv } from '../helpers/temporal';

const taskQueue = 'typed-client-test';
const pool = testPool();
let env: TestWorkflowEnvironment;
let worker: WorkerGroup;
let running: Promise<void>;
let server: Server;
let checkout: OrderJourneysClient;
let support: OrderJourneysClient;

beforeAll(async () => {
  env = await startDevServerEnv();
  worker = await createTestWorker(env, taskQueue, pool);
  running = worker.run();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_KEYS_CHECKOUT: 'client-checkout-key',
    API_KEYS_SUPPORT: 'client-support-key',
  });
  server = await listen(
    buildApi(config, pool, env.client, productionPolicy, createLogger({ level: 'silent' })),
    0,
    '127.0.0.1',
  );
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  checkout = new OrderJourneysClient({ baseUrl, apiKey: 'client-checkout-key' });
  support = new OrderJourneysClient({ baseUrl, apiKey: 'client-support-key' });
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  worker?.shutdown();
  await running;
  await env?.teardown();
  await pool.end();
});

async function until(orderId: string, predicate: (j: JourneyView) => boolean, what: string): Promise<JourneyView> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const journey = await checkout.getJourney(orderId);
    if (predicate(journey)) return journey;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(journey)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The API error a call fails with (or a test failure when it succeeds). */
async function refusal(call: Promise<unknown>): Promise<OrderJourneysApiError> {
  const err = await call.then(
    () => new Error('expected the API to refuse'),
    (e: unknown) => e,
  );
  if (!(err instanceof OrderJourneysApiError)) throw err;
  return err;
}

describe('checkout', () => {
  it('places an order, reads its journey, and placing it again answers the same journey', async () => {
    const order = anOrder();
    const placed = await checkout.placeOrder(order, { requestId: `client-${order.orderId}` });
    expect(placed).toEqual({ workflowId: `order-${order.orderId}`, runId: expect.any(String), created: true });

    const journey = await until(order.orderId, (j) => j.stage === 'awaiting_shipment', 'the confirmation');
    expect(journey.messages.map((m) => `${m.messageType}/${m.channel}`).sort()).toEqual([
      'confirmation/email',
      'confirmation/sms',
    ]);
    expect(journey.items.map((i) => i.sku)).toEqual(order.items.map((i) => i.sku));

    expect(await checkout.placeOrder(order)).toEqual({ ...placed, created: false });
    const memo = (await env.client.workflow.getHandle(placed.workflowId).describe()).memo;
    expect(memo?.requestId).toBe(`client-${order.orderId}`);
  });

  it('refuses other content under the same order id (409 order_conflict) and a bad order field by field (400)', async () => {
    const order = anOrder({ channels: ['email'] });
    await checkout.placeOrder(order);
    const conflict = await refusal(checkout.placeOrder({ ...order, total: '1.00' }));
    expect(conflict).toMatchObject({ status: 409, code: 'order_conflict', details: { orderId: order.orderId } });
    expect(conflict.requestId).toEqual(expect.any(String));

    const invalid = await refusal(checkout.placeOrder({ ...anOrder(), currency: 'euro' }));
    expect(invalid).toMatchObject({
      status: 400,
      code: 'invalid_request',
      details: [expect.objectContaining({ path: 'currency' })],
    });
    expect(invalid.message).toContain('currency');
  });

  it('answers 404 order_not_found for an order it never saw, 403 for the wrong role and 401 for an unknown key', async () => {
    expect(await refusal(checkout.getJourney('never-placed-1'))).toMatchObject({
      status: 404,
      code: 'order_not_found',
    });
    expect(await refusal(support.placeOrder(anOrder()))).toMatchObject({ status: 403, code: 'forbidden' });
    const stranger = new OrderJourneysClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: 'not-a-key',
    });
    expect(await refusal(stranger.getJourney('x1'))).toMatchObject({ status: 401, code: 'unauthenticated' });
  });
});

describe('fulfilment and support', () => {
  it('ships, reports tracking and reviews; support cannot cancel a shipped order nor return an undelivered one', async () => {
    const order = anOrder({ channels: ['email'] });
    await checkout.placeOrder(order);
    await until(order.orderId, (j) => j.stage === 'awaiting_shipment', 'the confirmation');
    const items = order.items.map(({ sku, quantity }) => ({ sku, quantity }));

    expect(await checkout.addShipment(order.orderId, { carrier: 'ups', trackingNumber: '1ZCLIENT01', items })).toEqual({
      shipmentId: 'S1',
      created: true,
    });
    expect(await checkout.addShipment(order.orderId, { carrier: 'ups', trackingNumber: '1ZCLIENT01', items })).toEqual({
      shipmentId: 'S1',
      created: false,
    });
    await checkout.reportTracking(order.orderId, {
      trackingNumber: '1ZCLIENT01',
      status: 'in_transit',
      occurredAt: new Date().toISOString(),
      eventId: 'client-1',
    });
    const moving = await until(order.orderId, (j) => j.shipments[0]?.status === 'in_transit', 'the parcel in transit');
    expect(moving.stage).toBe('in_transit');

    expect(
      await refusal(
        checkout.reportTracking(order.orderId, {
          trackingNumber: 'NOTOURS01',
          status: 'delivered',
          occurredAt: new Date().toISOString(),
        }),
      ),
    ).toMatchObject({
      status: 404,
      code: 'not_in_order',
    });
    expect(await refusal(checkout.submitReview(order.orderId, { sku: 'NOT-OURS', rating: 5 }))).toMatchObject({
      status: 404,
      code: 'not_in_order',
    });
    await checkout.submitReview(order.orderId, { sku: order.items[0]!.sku, rating: 5, text: 'lovely' });

    expect(await refusal(support.cancelOrder(order.orderId, { reason: 'customer asked' }))).toMatchObject({
      status: 409,
      code: 'refused',
      message: 'already shipped; start a return',
    });
    expect(
      await refusal(support.requestReturn(order.orderId, { items: [items[0]!], reason: 'too small' })),
    ).toMatchObject({
      status: 409,
      code: 'refused',
      message: 'the order has not been delivered yet',
    });
  });

  it('cancels an order before shipment, and the journey then refuses parcels (409 journey_ended)', async () => {
    const order = anOrder({ channels: ['email'] });
    await checkout.placeOrder(order);
    await until(order.orderId, (j) => j.stage === 'awaiting_shipment', 'the confirmation');
    expect(await support.cancelOrder(order.orderId, { reason: 'customer asked' })).toEqual({
      status: 'cancelled',
      cancelledAt: expect.any(String),
    });
    await until(order.orderId, (j) => j.stage === 'cancelled', 'the cancellation');
    const refused = await refusal(
      checkout.addShipment(order.orderId, {
        carrier: 'dhl',
        trackingNumber: 'DHLCLIENT1',
        items: [{ sku: order.items[0]!.sku, quantity: 1 }],
      }),
    );
    expect(refused).toMatchObject({ status: 409, code: 'journey_ended' });
  });

  it('lists the outbox and previews templates', async () => {
    const order = anOrder({ channels: ['email'] });
    await checkout.placeOrder(order);
    await until(order.orderId, (j) => j.stage === 'awaiting_shipment', 'the confirmation');
    const messages = await support.listOutbox({ orderId: order.orderId, limit: 10 });
    expect(messages.map((m) => m.messageType)).toEqual(['confirmation']);
    expect(messages[0]!.createdAt).toEqual(expect.any(String));

    const sms = await support.previewTemplate('shipped', { channel: 'sms', locale: 'lv' });
    expect(sms).toMatchObject({
      locale: 'lv',
      segments: expect.any(Number),
      encoding: expect.stringMatching(/GSM-7|UCS-2/),
    });
    const email = await support.previewTemplate('confirmation');
    expect(email.subject).toEqual(expect.any(String));
    expect(await refusal(support.previewTemplate('no_such_message'))).toMatchObject({
      status: 404,
      code: 'template_not_found',
    });
  });
});

describe("retrying support's actions", () => {
  it('a return retried with the same idempotencyKey opens one return and answers the same RMA id; a malformed key is 400', async () => {
    const order = anOrder({ channels: ['email'] });
    await checkout.placeOrder(order);
    await until(order.orderId, (j) => j.stage === 'awaiting_shipment', 'the confirmation');
    const items = order.items.map(({ sku, quantity }) => ({ sku, quantity }));
    await checkout.addShipment(order.orderId, { carrier: 'ups', trackingNumber: '1ZCLIENTRETRY1', items });
    await checkout.reportTracking(order.orderId, {
      trackingNumber: '1ZCLIENTRETRY1',
      status: 'delivered',
      occurredAt: new Date().toISOString(),
    });
    await until(order.orderId, (j) => j.shipments[0]?.status === 'delivered', 'the delivery');

    const request = { items: [items[0]!], reason: 'too small' };
    const idempotencyKey = `client-return-${order.orderId}`;
    const first = await support.requestReturn(order.orderId, request, { idempotencyKey });
    const retried = await support.requestReturn(order.orderId, request, { idempotencyKey });
    expect(retried).toEqual(first);
    expect((await checkout.getJourney(order.orderId)).returns.map((r) => r.rmaId)).toEqual([first.rmaId]);

    expect(
      await refusal(support.requestReturn(order.orderId, request, { idempotencyKey: 'not a token' })),
    ).toMatchObject({ status: 400, code: 'invalid_request' });
  });
});

describe('when a dependency of the API is down', () => {
  it("fails with status 503, the API's code and its Retry-After", async () => {
    const deadPool = createPool(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`, 1);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      API_KEYS_SUPPORT: 'client-support-key',
    });
    const down = await listen(
      buildApi(config, deadPool, env.client, productionPolicy, createLogger({ level: 'silent' })),
      0,
      '127.0.0.1',
    );
    try {
      const client = new OrderJourneysClient({
        baseUrl: `http://127.0.0.1:${(down.address() as AddressInfo).port}`,
        apiKey: 'client-support-key',
      });
      const err = await refusal(client.getPreferences('cus-any-1'));
      expect(err).toMatchObject({ status: 503, code: 'database_unavailable', retryAfterSeconds: expect.any(Number) });
      expect(err.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      down.closeAllConnections();
      await new Promise((resolve) => down.close(resolve));
      await deadPool.end();
    }
  });
});

describe('customer preferences (support)', () => {
  it("reads the defaults for a customer nobody recorded anything for, records a change, and refuses checkout's key", async () => {
    const customerId = `cus-client-${Date.now().toString(36)}`;
    expect(await support.getPreferences(customerId)).toMatchObject({
      customerId,
      known: false,
      channels: { email: true, sms: true },
    });
    const updated = await support.updatePreferences(customerId, {
      marketing: false,
      channels: { sms: false },
      reason: 'asked on the phone',
    });
    expect(updated).toMatchObject({
      customerId,
      known: true,
      marketing: 'opted_out',
      channels: { email: true, sms: false },
    });
    expect(await refusal(support.updatePreferences(customerId, {}))).toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
    expect(await refusal(checkout.getPreferences(customerId))).toMatchObject({ status: 403, code: 'forbidden' });
  });
});

describe('when the API cannot be reached', () => {
  it('fails with status 0 and code "unreachable" (and "timeout" when no answer comes in time)', async () => {
    const closedPort = await freePort();
    const nowhere = new OrderJourneysClient({ baseUrl: `http://127.0.0.1:${closedPort}`, apiKey: 'k' });
    expect(await refusal(nowhere.getJourney('x1'))).toMatchObject({ status: 0, code: 'unreachable' });

    // A server that never answers: the client gives up after timeoutMs (the fetch rejects when its signal aborts).
    const silent = new OrderJourneysClient({
      baseUrl: 'http://127.0.0.1:1',
      apiKey: 'k',
      timeoutMs: 50,
      fetch: (_url, init) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    });
    expect(await refusal(silent.getJourney('x1'))).toMatchObject({ status: 0, code: 'timeout' });
  });
});
