/**
 * The worker's own metrics, scraped over HTTP as Prometheus would: every customer message counted by type, channel and
 * what became of it, and each provider call timed. The send activity runs for real on the test database, called
 * directly (no Temporal needed to see what it counts); the providers are the local outbox and a scripted stand-in for
 * Twilio.
 */
import { randomUUID } from 'node:crypto';
import { serveMetrics, type MetricsServer } from '../../src/observability/metrics-server';
import { createWorkerMetrics, instrumentActivities, instrumentProviders } from '../../src/observability/worker-metrics';
import { OutboxStore } from '../../src/db/outbox';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { ProviderError, type SmsProvider } from '../../src/providers/types';
import { sampleMessage } from '../../src/templates';
import { testPool } from '../helpers/database';
import { journeyActivities } from '../helpers/temporal';

const pool = testPool();
const metrics = createWorkerMetrics();
let server: MetricsServer;

/** What Twilio answers next: accept, refuse for good (invalid number), or be down. */
let twilioAnswer: 'accept' | 'invalid_number' | 'down' = 'accept';
const scriptedTwilio: SmsProvider = {
  name: 'twilio',
  async sendSms() {
    if (twilioAnswer === 'invalid_number')
      throw new ProviderError('twilio', 'sms', '21211', 'invalid phone number', false, {
        consequence: 'contact_invalid',
      });
    if (twilioAnswer === 'down') throw new ProviderError('twilio', 'sms', '503', 'service unavailable', true);
    return { providerMessageId: `SM${randomUUID().replace(/-/g, '')}` };
  },
};
const outbox = new OutboxProvider(new OutboxStore(pool));
const providers = instrumentProviders({ email: outbox, sms: scriptedTwilio }, metrics);
const activities = instrumentActivities(journeyActivities(pool, providers), metrics);

beforeAll(async () => {
  server = await serveMetrics(metrics.registry, 0, '127.0.0.1');
});

afterAll(async () => {
  await server?.close();
  await pool.end();
});

function send(step: string, channel: 'email' | 'sms', to: string, orderId = `ord-${randomUUID().slice(0, 8)}`) {
  return activities.sendCustomerMessage({
    journeyId: `order-${orderId}`,
    orderId,
    step,
    channel,
    to,
    message: sampleMessage('confirmation', 'en', { orderId }),
  });
}

async function scrape(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

it('counts each message by type, channel and outcome, and times each provider call', async () => {
  const orderId = `ord-${randomUUID().slice(0, 8)}`;
  expect((await send('confirmation', 'email', 'anna@example.com', orderId)).status).toBe('sent');
  expect((await send('confirmation', 'email', 'anna@example.com', orderId)).alreadyRecorded).toBe(true); // a retry finds it sent
  expect((await send('confirmation', 'sms', '+37126000001')).status).toBe('sent');
  twilioAnswer = 'invalid_number';
  expect((await send('confirmation', 'sms', '+37126000002')).status).toBe('failed');
  twilioAnswer = 'down';
  await expect(send('confirmation', 'sms', '+37126000003')).rejects.toMatchObject({ type: 'ProviderUnavailable' });

  const text = await scrape();
  const line = (labels: string) =>
    text.split('\n').find((l) => l.startsWith(`order_journeys_messages_total{${labels}}`));
  expect(line('message_type="confirmation",channel="email",outcome="sent"')).toMatch(/ 1$/);
  expect(line('message_type="confirmation",channel="email",outcome="already_recorded"')).toMatch(/ 1$/);
  expect(line('message_type="confirmation",channel="sms",outcome="sent"')).toMatch(/ 1$/);
  expect(line('message_type="confirmation",channel="sms",outcome="failed"')).toMatch(/ 1$/);
  expect(line('message_type="confirmation",channel="sms",outcome="retrying"')).toMatch(/ 1$/);

  expect(text).toContain(
    'order_journeys_provider_send_duration_seconds_count{provider="outbox",channel="email",outcome="ok"} 1',
  );
  expect(text).toContain(
    'order_journeys_provider_send_duration_seconds_count{provider="twilio",channel="sms",outcome="ok"} 1',
  );
  expect(text).toContain(
    'order_journeys_provider_send_duration_seconds_count{provider="twilio",channel="sms",outcome="refused"} 1',
  );
  expect(text).toContain(
    'order_journeys_provider_send_duration_seconds_count{provider="twilio",channel="sms",outcome="unavailable"} 1',
  );
  // Counted by kind, never by person: no address becomes a label.
  expect(text).not.toContain('anna@example.com');
  expect(text).not.toContain('+3712600000');
});

it('answers only GET /metrics', async () => {
  expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
});
