/**
 * Checkout's view of the service, end to end on the Temporal dev server: HTTP API → journey workflow → real worker →
 * PostgreSQL outbox, and the journey found in Temporal's visibility by its OrderId search attribute.
 */
import request from 'supertest';
import { productionPolicy } from '../../src/domain/policy';
import { anOrder } from '../helpers/fixtures';
import { eventually, startApiWorld, TEST_KEYS, type ApiWorld } from '../helpers/api-world';

const CHECKOUT = TEST_KEYS.checkout;
const SUPPORT = TEST_KEYS.support;
let world: ApiWorld;
let env: ApiWorld['env'];
let app: ApiWorld['app'];

beforeAll(async () => {
  world = await startApiWorld('orders-api-test', productionPolicy);
  ({ env, app } = world);
});

afterAll(() => world?.stop());

describe('POST /v1/orders', () => {
  it('starts the journey, sends the confirmation and makes the journey findable by order id', async () => {
    const order = anOrder();
    const res = await request(app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(201);
    expect(res.body).toEqual({ workflowId: `order-${order.orderId}`, runId: expect.any(String) });

    const outbox = await eventually(async () => {
      const r = await request(app)
        .get(`/v1/outbox?orderId=${order.orderId}`)
        .set('Authorization', CHECKOUT)
        .expect(200);
      return r.body.messages.length === 2 ? r.body.messages : undefined;
    }, 'the confirmation in the outbox');
    expect(outbox.map((m: { channel: string; messageType: string }) => `${m.messageType}/${m.channel}`).sort()).toEqual(
      ['confirmation/email', 'confirmation/sms'],
    );

    const found = await eventually(async () => {
      const runs = [];
      for await (const wf of env.client.workflow.list({ query: `OrderId = "${order.orderId}"` })) runs.push(wf);
      return runs.length ? runs : undefined;
    }, 'the journey in visibility');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      workflowId: `order-${order.orderId}`,
      runId: res.body.runId,
      type: 'orderJourney',
    });

    const journey = await eventually(async () => {
      const r = await request(app).get(`/v1/orders/${order.orderId}/journey`).set('Authorization', SUPPORT).expect(200);
      return r.body.stage === 'awaiting_shipment' ? r.body : undefined;
    }, 'the journey to await shipment');
    expect(journey.messages).toHaveLength(2);
  });

  it('answers a repeated order with 200 and the same journey, never a second one', async () => {
    const order = anOrder();
    const first = await request(app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(201);
    // Same content, keys in another order: still the same order.
    const reordered = Object.fromEntries(Object.entries(order).reverse());
    const again = await request(app).post('/v1/orders').set('Authorization', CHECKOUT).send(reordered).expect(200);
    expect(again.body).toEqual(first.body);

    const count = await env.client.workflow.count(`WorkflowId = "order-${order.orderId}"`);
    expect(count.count).toBe(1);
  });

  it('refuses the same order id with different content with 409', async () => {
    const order = anOrder();
    await request(app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(201);
    const res = await request(app)
      .post('/v1/orders')
      .set('Authorization', CHECKOUT)
      .send({ ...order, total: '99.00' })
      .expect(409);
    expect(res.body.error).toMatchObject({ code: 'order_conflict', details: { orderId: order.orderId } });
  });

  it('says which field is wrong in a bad order, with 400', async () => {
    const order = anOrder();
    const res = await request(app)
      .post('/v1/orders')
      .set('Authorization', CHECKOUT)
      .send({ ...order, items: [{ ...order.items[0], quantity: 0 }] })
      .expect(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'items.0.quantity' })]);
    expect(res.body.error.message).toContain('items.0.quantity');
  });

  it('refuses a phone number outside its numbering plan with 400 naming the phone field', async () => {
    const order = anOrder({ phone: '+3712600000' }); // a Latvian number one digit short
    const res = await request(app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'phone' })]);
    expect(res.body.error.message).toContain('phone');
    expect(await env.client.workflow.count(`WorkflowId = "order-${order.orderId}"`)).toMatchObject({ count: 0 });
  });

  it('answers malformed JSON with 400, not a server error', async () => {
    const res = await request(app)
      .post('/v1/orders')
      .set('Authorization', CHECKOUT)
      .set('Content-Type', 'application/json')
      .send('{"orderId": ')
      .expect(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('needs an API key (401) of the checkout role (403)', async () => {
    const order = anOrder();
    const missing = await request(app).post('/v1/orders').send(order).expect(401);
    expect(missing.body.error.code).toBe('unauthenticated');
    await request(app).post('/v1/orders').set('Authorization', 'Bearer not-a-key').send(order).expect(401);
    const wrongRole = await request(app).post('/v1/orders').set('Authorization', SUPPORT).send(order).expect(403);
    expect(wrongRole.body.error.code).toBe('forbidden');
  });
});

describe('GET /v1/orders/:orderId/journey', () => {
  it('answers 404 for an order it has never seen', async () => {
    const res = await request(app).get('/v1/orders/no-such-order/journey').set('Authorization', SUPPORT).expect(404);
    expect(res.body.error.code).toBe('order_not_found');
  });

  it('answers 400 for an order id that cannot exist', async () => {
    await request(app).get('/v1/orders/bad%20id!/journey').set('Authorization', SUPPORT).expect(400);
  });
});

describe('health', () => {
  it('is alive, and ready when Temporal and PostgreSQL answer', async () => {
    await request(app).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(app).get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await request(app).get('/v1/nothing-here').expect(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
