/**
 * The API keeps answering, and says what happened, when parts of the system are not there — on the Temporal dev server
 * with real workers that the tests stop and start:
 *   - carrier updates and reviews are accepted with no worker running (signals only; nothing asks the journey first),
 *     and the journey can be read (its published view; no query);
 *   - a journey that cannot act (no worker in time, a workflow task failing for ever) is a 503 with the reason;
 *   - a journey that ended is 409 journey_ended, one that was terminated a 500 with the request id;
 *   - PostgreSQL down is a 503 with Retry-After on every route that needs it.
 */
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import express, { type Express } from 'express';
import request from 'supertest';
import twilio from 'twilio';
import { createPool } from '../../src/db/pool';
import { healthRouter } from '../../src/api/routes/health';
import { productionPolicy } from '../../src/domain/policy';
import { reviewSubmittedSignal } from '../../src/workflows/definitions';
import { eventually } from '../helpers/api-world';
import { testPool } from '../helpers/database';
import { anOrder } from '../helpers/fixtures';
import { freePort } from '../helpers/postgres';
import { startDevServerEnv, TEST_DATA_CONVERTER } from '../helpers/temporal';
import { PUBLIC_BASE_URL, webhookApp } from '../webhooks/webhook-app';
import { CHECKOUT, journeyOf, placeOrder, reliabilityApp, shipAll, SUPPORT, Workers } from './reliability-world';

const pool = testPool();
let env: TestWorkflowEnvironment;
let app: Express;
let workers: Workers;

beforeAll(async () => {
  env = await startDevServerEnv();
  workers = new Workers(env, 'reliability', pool);
  await workers.start();
  app = reliabilityApp(env.client, pool, 'reliability');
});

afterAll(async () => {
  await workers?.stop();
  await env?.teardown();
  await pool.end();
});

const post = (target: Express, path: string, auth: string, body: object) =>
  request(target).post(path).set('Authorization', auth).send(body);
const now = () => new Date().toISOString();

describe('with no worker running', () => {
  it('accepts carrier updates and reviews at once, and a worker started afterwards applies them', async () => {
    const order = await placeOrder(app);
    const trackingNumber = await shipAll(app, order);
    await workers.stop();
    try {
      await post(app, `/v1/orders/${order.orderId}/tracking-events`, CHECKOUT, {
        trackingNumber,
        status: 'delivered',
        occurredAt: now(),
        eventId: 'ev-1',
      }).expect(202);
      await post(app, `/v1/orders/${order.orderId}/reviews`, CHECKOUT, { sku: order.items[0]!.sku, rating: 5 }).expect(
        202,
      );

      // Still checked, without asking the journey: the parcel against PostgreSQL, the sku against the journey's memo.
      const strangeParcel = await post(app, `/v1/orders/${order.orderId}/tracking-events`, CHECKOUT, {
        trackingNumber: 'NOTOURS42',
        status: 'delivered',
        occurredAt: now(),
      }).expect(404);
      expect(strangeParcel.body.error.code).toBe('not_in_order');
      const strangeItem = await post(app, `/v1/orders/${order.orderId}/reviews`, CHECKOUT, {
        sku: 'NOT-IN-ORDER',
        rating: 4,
      }).expect(404);
      expect(strangeItem.body.error).toMatchObject({
        code: 'not_in_order',
        message: `item NOT-IN-ORDER is not part of order ${order.orderId}`,
      });
      const unknownOrder = await post(app, `/v1/orders/no-such-order-42/tracking-events`, CHECKOUT, {
        trackingNumber,
        status: 'delivered',
        occurredAt: now(),
      }).expect(404);
      expect(unknownOrder.body.error.code).toBe('order_not_found');

      // Reading the journey needs no worker (nothing queries it): the view its worker last published, which has not
      // taken in the news waiting for a worker yet.
      const read = await journeyOf(app, order.orderId);
      expect(read.stage).toBe('in_transit');
      expect(read.shipments).toEqual([expect.objectContaining({ trackingNumber })]);
      expect(read.shipments[0].status).not.toBe('delivered');
      expect(read.reviews).toEqual([]);
    } finally {
      await workers.start();
    }

    const journey = await eventually(async () => {
      const read = await journeyOf(app, order.orderId);
      return read.shipments[0]?.status === 'delivered' && read.reviews.length ? read : undefined;
    }, 'the delivery and the review applied by the new worker');
    expect(journey.reviews).toEqual([expect.objectContaining({ sku: order.items[0]!.sku, rating: 5 })]);
  });

  it('signals a review unchecked to a journey started before the memo listed its skus', async () => {
    const order = anOrder();
    // Started as before: no `skus` in the memo, on a queue no worker polls.
    const handle = await env.client.workflow.start('orderJourney', {
      workflowId: `order-${order.orderId}`,
      taskQueue: 'reliability-legacy-no-worker',
      args: [{ order, policy: productionPolicy }],
      memo: { orderFingerprint: 'legacy' },
    });
    await post(app, `/v1/orders/${order.orderId}/reviews`, CHECKOUT, { sku: 'NOT-IN-ORDER', rating: 3 }).expect(202);
    const history = await handle.fetchHistory();
    const signals =
      history.events?.filter(
        (e) => e.workflowExecutionSignaledEventAttributes?.signalName === reviewSubmittedSignal.name,
      ) ?? [];
    expect(signals).toHaveLength(1);
    await handle.terminate('test done');
  });
});

describe('answers that say what happened', () => {
  it('a journey whose workflow task fails on every attempt answers 503 journey_unavailable with the reason, never 500', async () => {
    const queue = 'reliability-broken';
    const broken = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: queue,
      workflowsPath: require.resolve('./fixtures/broken-journey'),
      dataConverter: TEST_DATA_CONVERTER,
    });
    const running = broken.run();
    try {
      const brokenApp = reliabilityApp(env.client, pool, queue);
      const order = anOrder();
      await post(brokenApp, '/v1/orders', CHECKOUT, order).expect(201);
      const handle = env.client.workflow.getHandle(`order-${order.orderId}`);
      await eventually(
        async () => ((await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0) > 1 || undefined,
        'the workflow task to fail and be retried',
      );

      const read = await request(brokenApp)
        .get(`/v1/orders/${order.orderId}/journey`)
        .set('Authorization', SUPPORT)
        .expect(503);
      expect(read.headers['retry-after']).toMatch(/^\d+$/);
      expect(read.body.error.code).toBe('journey_unavailable');
      expect(read.body.error.details.reason).toBe('workflow_task_failing');
      expect(read.body.error.details.detail).toContain('journey code broken on purpose for this test');

      const cancel = await post(brokenApp, `/v1/orders/${order.orderId}/cancel`, SUPPORT, {
        reason: 'customer asked',
      }).expect(503);
      expect(cancel.body.error).toMatchObject({
        code: 'journey_unavailable',
        details: { reason: 'workflow_task_failing' },
      });
      await handle.terminate('test done');
    } finally {
      broken.shutdown();
      await running;
    }
  });

  it('an update no worker answers in time is a 503 with Retry-After', async () => {
    const idleApp = reliabilityApp(env.client, pool, 'reliability-no-worker');
    const order = anOrder();
    await post(idleApp, '/v1/orders', CHECKOUT, order).expect(201);
    const res = await post(idleApp, `/v1/orders/${order.orderId}/cancel`, SUPPORT, { reason: 'customer asked' }).expect(
      503,
    );
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body.error).toMatchObject({ code: 'journey_unavailable', details: { reason: 'no_timely_answer' } });
    await env.client.workflow.getHandle(`order-${order.orderId}`).terminate('test done');
  });

  it('a terminated journey answers 500 journey_failed with the request id', async () => {
    const order = await placeOrder(app);
    await env.client.workflow.getHandle(`order-${order.orderId}`).terminate('operator stopped it');
    const res = await post(app, `/v1/orders/${order.orderId}/cancel`, SUPPORT, { reason: 'customer asked' })
      .set('X-Request-Id', 'req-terminated-1')
      .expect(500);
    expect(res.body.error).toMatchObject({
      code: 'journey_failed',
      details: { status: 'TERMINATED', requestId: 'req-terminated-1' },
    });
  });

  it("the journey's own no is 409 refused; a journey that has ended is 409 journey_ended", async () => {
    const shipped = await placeOrder(app);
    await shipAll(app, shipped);
    const refused = await post(app, `/v1/orders/${shipped.orderId}/cancel`, SUPPORT, { reason: 'too late' }).expect(
      409,
    );
    expect(refused.body.error.code).toBe('refused');

    const order = await placeOrder(app);
    await post(app, `/v1/orders/${order.orderId}/cancel`, SUPPORT, { reason: 'customer asked' }).expect(200);
    await env.client.workflow.getHandle(`order-${order.orderId}`).result();
    const late = await post(app, `/v1/orders/${order.orderId}/returns`, SUPPORT, {
      items: [{ sku: order.items[0]!.sku, quantity: 1 }],
      reason: 'x',
    }).expect(409);
    expect(late.body.error).toMatchObject({ code: 'journey_ended', details: { stage: 'cancelled' } });
  });
});

describe('with PostgreSQL down', () => {
  let deadPool: ReturnType<typeof createPool>;
  let downApp: Express;
  beforeAll(async () => {
    deadPool = createPool(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`, 2);
    downApp = reliabilityApp(env.client, deadPool, 'reliability');
  });
  afterAll(() => deadPool.end());

  const expect503 = (res: request.Response) => {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 503, code: 'database_unavailable' });
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  };

  it('answers 503 with Retry-After on every route that needs it, never 500', async () => {
    const order = await placeOrder(app);
    const trackingNumber = await shipAll(app, order);
    const orderPath = `/v1/orders/${order.orderId}`;
    expect503(await request(downApp).get(`${orderPath}/journey`).set('Authorization', SUPPORT));
    expect503(
      await post(downApp, `${orderPath}/tracking-events`, CHECKOUT, {
        trackingNumber,
        status: 'in_transit',
        occurredAt: now(),
      }),
    );
    expect503(
      await post(downApp, `${orderPath}/returns`, SUPPORT, {
        items: [{ sku: order.items[0]!.sku, quantity: 1 }],
        reason: 'x',
      }).set('Idempotency-Key', 'down-1'),
    );
    expect503(await request(downApp).get(`/v1/outbox?orderId=${order.orderId}`).set('Authorization', CHECKOUT));
    expect503(
      await request(downApp).get(`/v1/customers/${order.customerId}/preferences`).set('Authorization', SUPPORT),
    );
    expect503(
      await request(downApp)
        .put(`/v1/customers/${order.customerId}/preferences`)
        .set('Authorization', SUPPORT)
        .send({ marketing: false }),
    );

    // Readiness says so too, with when to ask again.
    const readiness = express().use(healthRouter({ postgres: async () => void (await deadPool.query('SELECT 1')) }));
    const notReady = await request(readiness).get('/readyz');
    expect({ status: notReady.status, postgres: notReady.body.checks?.postgres?.startsWith('unavailable') }).toEqual({
      status: 503,
      postgres: true,
    });
    expect(notReady.headers['retry-after']).toMatch(/^\d+$/);

    // A provider's webhook too: the provider retries on 503.
    const authToken = 'twilio-auth-token-for-db-down-test';
    const { app: webhooks } = webhookApp(deadPool, {
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: '+14155550100',
    });
    const form = { MessageSid: 'SM00000000000000000000000000000001', MessageStatus: 'delivered' };
    const signature = twilio.getExpectedTwilioSignature(
      authToken,
      `${PUBLIC_BASE_URL}/v1/webhooks/twilio/status`,
      form,
    );
    expect503(
      await request(webhooks)
        .post('/v1/webhooks/twilio/status')
        .type('form')
        .set('X-Twilio-Signature', signature)
        .send(form),
    );
  });
});
