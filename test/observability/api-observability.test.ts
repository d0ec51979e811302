/**
 * What operators see of the API: JSON log lines with a request id that follows the request into Temporal, no personal
 * data or secrets in any log line, and Prometheus metrics by route pattern. On the Temporal dev server (journeys start
 * for real; no worker is needed to start one).
 */
import { Writable } from 'node:stream';
import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Express } from 'express';
import { loadConfig } from '../../src/config';
import { orderSchema } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { buildApi } from '../../src/server';
import { testPool } from '../helpers/database';
import { anOrder } from '../helpers/fixtures';
import { startDevServerEnv } from '../helpers/temporal';

const CHECKOUT = 'Bearer obs-checkout-key';
const SUPPORT = 'Bearer obs-support-key';
const SECRETS = {
  TEMPORAL_API_KEY: 'temporal-cloud-key-SECRET-1',
  SENDGRID_API_KEY: 'SG.sendgrid-SECRET-2',
  SENDGRID_FROM: 'shop@test-shop.example',
  TWILIO_ACCOUNT_SID: `AC${'5'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'twilio-token-SECRET-3',
  TWILIO_FROM: '+14155550100',
  UNSUBSCRIBE_SECRET: 'unsubscribe-secret-SECRET-4-at-least-32-chars',
  // The failover providers' credentials (docs/failover.md).
  RESEND_API_KEY: 're_resend-SECRET-6',
  RESEND_FROM: 'shop@test-shop.example',
  VONAGE_API_KEY: 'vonage-key-SECRET-7',
  VONAGE_API_SECRET: 'vonage-secret-SECRET-8',
  VONAGE_FROM: '+14155550100',
};
const pool = testPool();
let env: TestWorkflowEnvironment;
let app: Express;
const lines: string[] = [];

/** Everything the API logged, one parsed JSON object per line. */
const logged = () =>
  lines.map(
    (line) =>
      JSON.parse(line) as Record<string, unknown> & {
        req?: { id?: string; path?: string };
        res?: { statusCode?: number };
      },
  );

beforeAll(async () => {
  env = await startDevServerEnv();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    TEMPORAL_TASK_QUEUE: 'observability-test', // no worker: journeys start and wait
    API_KEYS_CHECKOUT: 'obs-checkout-key',
    API_KEYS_SUPPORT: 'obs-support-key',
    ...SECRETS,
  });
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  app = buildApi(config, pool, env.client, productionPolicy, createLogger({ name: 'api', level: 'info', destination }));
});

afterAll(async () => {
  await env?.teardown();
  await pool.end();
});

describe('request ids', () => {
  it("echoes the caller's X-Request-Id, logs the request under it and keeps it in the journey's memo", async () => {
    const order = anOrder();
    const res = await request(app)
      .post('/v1/orders')
      .set('Authorization', CHECKOUT)
      .set('X-Request-Id', 'checkout-7f3a-0001')
      .send(order)
      .expect(201);
    expect(res.headers['x-request-id']).toBe('checkout-7f3a-0001');

    const line = logged().find((l) => l.req?.id === 'checkout-7f3a-0001');
    expect(line).toMatchObject({
      name: 'api',
      msg: 'request completed',
      req: { method: 'POST', path: '/v1/orders' },
      res: { statusCode: 201 },
    });

    const description = await env.client.workflow.getHandle(res.body.workflowId).describe();
    expect(description.memo).toMatchObject({ requestId: 'checkout-7f3a-0001' });
  });

  it('makes an id when the caller sends none, or one that is not a plain token', async () => {
    const fresh = await request(app).get('/healthz').expect(200);
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const odd = await request(app).get('/healthz').set('X-Request-Id', 'x"; drop table --').expect(200);
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('redaction', () => {
  it('a logged order shows no email, phone, name or address; a logged config no key, token or password', async () => {
    const shippingAddress = { street1: 'Krišjāņa Valdemāra iela 99-7', city: 'Riga', zip: 'LV-1013', country: 'LV' };
    const order = orderSchema.parse(
      anOrder({ email: 'maija.ozola@example.lv', phone: '+37129999999', name: 'Maija Ozola', shippingAddress }),
    );
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: 'postgres://journeys:db-password-SECRET-5@db.internal/journeys',
      ...SECRETS,
    });
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(line.trimEnd()) },
    });
    const before = lines.length;
    logger.info({ order }, 'order received');
    logger.info({ input: { order } }, 'journey input');
    logger.info({ args: [{ order }] }, 'workflow args');
    logger.info({ to: order.email, recipient: order.phone }, 'sending');
    logger.info({ args: [{ rmaId: 'RMA-1', address: shippingAddress }] }, 'return label input');
    logger.info({ config }, 'configuration');
    // And the API's own line for a request whose body is an order.
    await request(app)
      .post('/v1/orders')
      .set('Authorization', CHECKOUT)
      .set('X-Request-Id', 'redaction-1')
      .send({ ...order, orderId: `${order.orderId}-b` })
      .expect(201);

    const output = [...lines.slice(before), ...lines.filter((l) => l.includes('redaction-1'))].join('\n');
    expect(output).toContain('order received');
    expect(output).toContain('[redacted]');
    for (const personal of ['maija.ozola@example.lv', '+37129999999', 'Maija Ozola', shippingAddress.street1])
      expect(output).not.toContain(personal);
    for (const secret of [
      ...Object.values(SECRETS).filter((v) => /SECRET/.test(v)),
      'db-password-SECRET-5',
      'obs-checkout-key',
      'dev-checkout-key',
    ]) {
      expect(output).not.toContain(secret);
    }
    // What support needs to follow an order is still there.
    expect(output).toContain(order.orderId);
  });

  it('never logs the Authorization header', async () => {
    // Its own requests, so it holds alone too: answered, refused for the role, and for an unknown key.
    const calls = [
      { id: 'auth-log-answered', key: SUPPORT, method: 'get', path: '/v1/outbox?orderId=auth-log-0', status: 200 },
      { id: 'auth-log-wrong-role', key: SUPPORT, method: 'post', path: '/v1/orders', status: 403 },
      {
        id: 'auth-log-unknown-key',
        key: 'Bearer obs-checkout-key-revoked',
        method: 'get',
        path: '/v1/outbox',
        status: 401,
      },
    ] as const;
    for (const call of calls) {
      await request(app)
        [call.method](call.path)
        .set('Authorization', call.key)
        .set('X-Request-Id', call.id)
        .expect(call.status);
    }
    const own = lines.filter((line) => calls.some((call) => line.includes(call.id)));
    for (const call of calls) expect(own.filter((line) => line.includes(call.id)).length).toBeGreaterThan(0);
    expect(own.join('\n')).not.toMatch(/obs-(checkout|support)-key/);
    expect(lines.join('\n')).not.toMatch(/obs-(checkout|support)-key/);
  });
});

describe('GET /metrics', () => {
  it('counts requests by route pattern and status, new journeys, and refused webhook signatures', async () => {
    for (const orderId of ['never-seen-1', 'never-seen-2']) {
      await request(app).get(`/v1/orders/${orderId}/journey`).set('Authorization', SUPPORT).expect(404);
    }
    await request(app).get('/no/such/route').expect(404);
    const order = anOrder();
    await request(app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(201);
    await request(app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(200); // a repeat starts nothing
    await request(app)
      .post('/v1/webhooks/twilio/status')
      .type('form')
      .send({ MessageSid: 'SM1', MessageStatus: 'delivered' })
      .expect(401);
    await request(app)
      .post('/v1/webhooks/twilio/status')
      .set('X-Twilio-Signature', 'forged')
      .type('form')
      .send({ MessageSid: 'SM1', MessageStatus: 'delivered' })
      .expect(401);

    const res = await request(app)
      .get('/metrics')
      .expect(200)
      .expect('content-type', /text\/plain/);
    const metrics = res.text;
    expect(metrics).toContain(
      'order_journeys_http_requests_total{method="GET",route="/v1/orders/:orderId/journey",status="404"} 2',
    );
    expect(metrics).toContain('order_journeys_http_requests_total{method="GET",route="(unmatched)",status="404"} 1');
    expect(metrics).toMatch(
      /order_journeys_http_requests_total\{method="POST",route="\/v1\/orders",status="201"\} \d+/,
    );
    expect(metrics).toMatch(
      /order_journeys_http_request_duration_seconds_count\{method="POST",route="\/v1\/orders"\} \d+/,
    );
    // Three journeys started in this file so far (the request-id story, the redaction story, this one); the repeat is
    // not counted.
    expect(metrics).toContain('order_journeys_journeys_started_total 3');
    expect(metrics).toContain(
      'order_journeys_webhook_signature_failures_total{provider="twilio",reason="missing_signature"} 1',
    );
    expect(metrics).toContain(
      'order_journeys_webhook_signature_failures_total{provider="twilio",reason="bad_signature"} 1',
    );
    // Route patterns only: no order id ever becomes a label.
    expect(metrics).not.toContain('never-seen-1');
  });
});
