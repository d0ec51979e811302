/**
 * The providers' circuit breakers as operators see them: `/readyz` lists each provider's state as details (an open
 * circuit fails over; it does not make the service unready), and `/metrics` has one 0/1 series per provider and
 * state. Read from the same PostgreSQL table the workers share.
 */
import express from 'express';
import request from 'supertest';
import { metricsRoute } from '../../src/api/metrics-middleware';
import { healthRouter } from '../../src/api/routes/health';
import { ProviderCircuits } from '../../src/db/provider-circuits';
import { createApiMetrics } from '../../src/observability/api-metrics';
import { createWorkerMetrics, instrumentEmail, instrumentSms } from '../../src/observability/worker-metrics';
import { OutboxStore } from '../../src/db/outbox';
import { createProviders } from '../../src/providers';
import { startProviderStub } from '../helpers/provider-stubs';
import { startResendStandIn } from '../failover/resend-stand-in';
import { aConfirmationEmail, SENDGRID_API_KEY } from '../providers/messages';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';

const pool = testPool();
const circuits = new ProviderCircuits(pool, { failureThreshold: 1, openForMs: 60_000, probeTimeoutMs: 5_000 });
const down = uniqueId('down-provider');
const healthy = uniqueId('healthy-provider');

beforeAll(async () => {
  await circuits.recordFailure(down); // threshold 1: open
  await circuits.recordFailure(healthy);
  await circuits.recordSuccess(healthy); // closed again
});
afterAll(async () => {
  await pool.end();
});

function app() {
  const server = express();
  server.use(healthRouter({ postgres: async () => void (await pool.query('SELECT 1')) }, circuits));
  server.get('/metrics', metricsRoute(createApiMetrics({ circuits })));
  return server;
}

it('/readyz shows each circuit in its details and stays ready with one open', async () => {
  const res = await request(app()).get('/readyz').expect(200);
  expect(res.body).toMatchObject({ status: 'ready', checks: { postgres: 'ok' } });
  expect(res.body.circuits).toMatchObject({ [down]: 'open', [healthy]: 'closed' });
});

it('/metrics has the circuit state gauge, 1 for the current state of each provider', async () => {
  const { text } = await request(app()).get('/metrics').expect(200);
  expect(text).toContain(`order_journeys_provider_circuit_state{provider="${down}",state="open"} 1`);
  expect(text).toContain(`order_journeys_provider_circuit_state{provider="${down}",state="closed"} 0`);
  expect(text).toContain(`order_journeys_provider_circuit_state{provider="${healthy}",state="closed"} 1`);
});

it("the worker's metrics have the same gauge", async () => {
  const metrics = createWorkerMetrics({ circuits });
  expect(await metrics.registry.metrics()).toContain(
    `order_journeys_provider_circuit_state{provider="${down}",state="open"} 1`,
  );
});

it('with the database away, /readyz and /metrics still answer, without circuits', async () => {
  const unreachable = { states: () => Promise.reject(new Error('connect ECONNREFUSED')) };
  const server = express();
  server.use(healthRouter({}, unreachable));
  server.get('/metrics', metricsRoute(createApiMetrics({ circuits: unreachable })));

  const ready = await request(server).get('/readyz').expect(200);
  expect(ready.body).not.toHaveProperty('circuits');
  const { text } = await request(server).get('/metrics').expect(200);
  expect(text).not.toMatch(/order_journeys_provider_circuit_state\{/);
});

it('the worker times each provider of a pair under its own name, so a failover shows as the secondary’s calls', async () => {
  const [sendgridApi, resendApi] = await Promise.all([startProviderStub(), startResendStandIn()]);
  try {
    const metrics = createWorkerMetrics();
    const { email } = createProviders(
      {
        sendgrid: { apiKey: SENDGRID_API_KEY, from: 'orders@test-shop.example', baseUrl: sendgridApi.url },
        resend: { apiKey: 're_test_not_a_real_key', from: 'orders@test-shop.example', baseUrl: resendApi.url },
      },
      new OutboxStore(pool),
      { decorate: { email: (p) => instrumentEmail(p, metrics), sms: (p) => instrumentSms(p, metrics) } },
    );
    sendgridApi.answerWith({ status: 503, body: { errors: [{ field: null, message: 'Service Unavailable' }] } });
    await email.sendEmail(aConfirmationEmail());

    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /order_journeys_provider_send_duration_seconds_count\{provider="sendgrid",channel="email",outcome="unavailable"\} 1/,
    );
    expect(text).toMatch(
      /order_journeys_provider_send_duration_seconds_count\{provider="resend",channel="email",outcome="ok"\} 1/,
    );
  } finally {
    await Promise.all([sendgridApi.stop(), resendApi.stop()]);
  }
});
