/**
 * Support's actions are safe to retry with an Idempotency-Key: the key is the Temporal update id (Temporal answers a
 * repeated id from the first update), and PostgreSQL remembers which request the key was for and its final answer.
 * On the Temporal dev server with the journey's real workers.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Express } from 'express';
import request from 'supertest';
import { MessageLedger } from '../../src/db/ledger';
import { JourneyViews } from '../../src/db/journey-views';
import { ParcelDirectory } from '../../src/db/parcels';
import { productionPolicy } from '../../src/domain/policy';
import { JourneyService } from '../../src/journeys/journey-service';
import { eventually } from '../helpers/api-world';
import { testPool } from '../helpers/database';
import { startDevServerEnv } from '../helpers/temporal';
import { CHECKOUT, journeyOf, placeOrder, reliabilityApp, shipAll, SUPPORT, Workers } from './reliability-world';

const taskQueue = 'idempotent-actions';
const pool = testPool();
let env: TestWorkflowEnvironment;
let app: Express;
let workers: Workers;

beforeAll(async () => {
  env = await startDevServerEnv();
  workers = new Workers(env, taskQueue, pool);
  await workers.start();
  app = reliabilityApp(env.client, pool, taskQueue, { queryMs: 5_000, actionMs: 8_000 });
});

afterAll(async () => {
  await workers?.stop();
  await env?.teardown();
  await pool.end();
});

const returnOf = (orderId: string, body: object, key?: string) => {
  const req = request(app).post(`/v1/orders/${orderId}/returns`).set('Authorization', SUPPORT);
  return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
};
const cancelOf = (orderId: string, body: object, key: string) =>
  request(app)
    .post(`/v1/orders/${orderId}/cancel`)
    .set('Authorization', SUPPORT)
    .set('Idempotency-Key', key)
    .send(body);

async function deliveredOrder() {
  const order = await placeOrder(app);
  const trackingNumber = await shipAll(app, order);
  await request(app)
    .post(`/v1/orders/${order.orderId}/tracking-events`)
    .set('Authorization', CHECKOUT)
    .send({ trackingNumber, status: 'delivered', occurredAt: new Date().toISOString() })
    .expect(202);
  await eventually(
    async () => ((await journeyOf(app, order.orderId)).shipments[0]?.status === 'delivered' ? true : undefined),
    'delivery',
  );
  return order;
}

const returnAcceptedEmails = async (orderId: string) => {
  const res = await request(app).get(`/v1/outbox?orderId=${orderId}`).set('Authorization', CHECKOUT).expect(200);
  return res.body.messages.filter((m: { messageType: string }) => m.messageType === 'return_accepted').length;
};

describe('POST …/returns with an Idempotency-Key', () => {
  it('retried three times opens one return: the same RMA id and status each time, one return in the journey', async () => {
    const order = await deliveredOrder();
    const key = `ret-${randomUUID()}`;
    const body = { items: [{ sku: order.items[0]!.sku, quantity: 1 }], reason: 'too small' };

    const answers = [];
    for (let attempt = 0; attempt < 3; attempt++) answers.push(await returnOf(order.orderId, body, key));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    const rmaId = answers[0]!.body.rmaId;
    expect(rmaId).toEqual(expect.any(String));
    expect(answers.map((a) => a.body)).toEqual([{ rmaId }, { rmaId }, { rmaId }]);
    expect(answers.map((a) => a.headers['idempotency-replayed'])).toEqual([undefined, 'true', 'true']);

    const journey = await journeyOf(app, order.orderId);
    expect(journey.returns.map((r: { rmaId: string }) => r.rmaId)).toEqual([rmaId]);
    expect(
      await eventually(
        async () => ((await returnAcceptedEmails(order.orderId)) > 0 ? returnAcceptedEmails(order.orderId) : undefined),
        'the return email',
      ),
    ).toBe(1);

    // The same key for another request: refused, and nothing changes.
    const reused = await returnOf(order.orderId, { ...body, reason: 'changed my mind' }, key).expect(409);
    expect(reused.body.error).toMatchObject({ code: 'idempotency_key_reused', details: { idempotencyKey: key } });
    expect((await journeyOf(app, order.orderId)).returns).toHaveLength(1);
  });

  it('sent three times at once opens one return', async () => {
    const order = await deliveredOrder();
    const key = `ret-${randomUUID()}`;
    const body = { items: [{ sku: order.items[0]!.sku, quantity: 1 }], reason: 'too small' };
    const answers = await Promise.all([0, 1, 2].map(() => returnOf(order.orderId, body, key)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.rmaId)).size).toBe(1);
    expect((await journeyOf(app, order.orderId)).returns).toHaveLength(1);
  });

  it('a refused return stays refused under its key, with the same answer', async () => {
    const order = await placeOrder(app); // not delivered: the journey says no
    const key = `ret-${randomUUID()}`;
    const body = { items: [{ sku: order.items[0]!.sku, quantity: 1 }], reason: 'x' };
    const first = await returnOf(order.orderId, body, key).expect(409);
    const again = await returnOf(order.orderId, body, key).expect(409);
    expect(first.body.error).toMatchObject({ code: 'refused', message: 'the order has not been delivered yet' });
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotency-replayed']).toBe('true');
  });

  it('refuses a malformed key with 400 naming the header', async () => {
    const order = await placeOrder(app);
    const body = { items: [{ sku: order.items[0]!.sku, quantity: 1 }], reason: 'x' };
    for (const key of ['has space', 'x'.repeat(129), 'ünïcode']) {
      const res = await returnOf(order.orderId, body, key).expect(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', details: [{ path: 'idempotency-key' }] });
      expect(res.body.error.message).toContain('Idempotency-Key');
    }
    expect((await journeyOf(app, order.orderId)).returns).toEqual([]);
  });

  it('is deduplicated by Temporal itself: the same update id in a run answers from the first update, whatever the body', async () => {
    // No PostgreSQL record involved: the journey service alone, as after a crash between the update and storing its
    // answer.
    const order = await deliveredOrder();
    const journeys = new JourneyService(env.client, taskQueue, productionPolicy, {
      ledger: new MessageLedger(pool),
      parcels: new ParcelDirectory(pool),
      views: new JourneyViews(pool),
    });
    const key = `ret-${randomUUID()}`;
    const sku = order.items[0]!.sku;
    const first = await journeys.requestReturn(
      order.orderId,
      { items: [{ sku, quantity: 1 }], reason: 'a' },
      { idempotencyKey: key },
    );
    const second = await journeys.requestReturn(
      order.orderId,
      { items: [{ sku, quantity: 2 }], reason: 'b' },
      { idempotencyKey: key },
    );
    expect(second).toEqual(first);
    expect((await journeyOf(app, order.orderId)).returns).toHaveLength(1);
  });
});

describe('POST …/cancel with an Idempotency-Key', () => {
  it('retried after it succeeded gets the same 200 answer, not "journey ended"', async () => {
    const order = await placeOrder(app);
    const key = `cancel-${randomUUID()}`;
    const first = await cancelOf(order.orderId, { reason: 'customer asked' }, key).expect(200);
    await env.client.workflow.getHandle(`order-${order.orderId}`).result(); // the journey has ended
    const again = await cancelOf(order.orderId, { reason: 'customer asked' }, key).expect(200);
    expect(again.body).toEqual(first.body);
    expect(first.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });

    const otherKey = await cancelOf(order.orderId, { reason: 'customer asked' }, `cancel-${randomUUID()}`).expect(409);
    expect(otherKey.body.error.code).toBe('journey_ended');
  });
});
