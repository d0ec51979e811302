/**
 * The worker's own Prometheus metrics (prom-client), on WORKER_METRICS_PORT (default 9464) at `/metrics`:
 *
 *   order_journeys_messages_total{message_type,channel,outcome}            customer sends, by what became of them:
 *       sent | failed (final refusal) | skipped (consent) | already_recorded (a retry found it done) | retrying | error
 *       | gave_up (the message's retry window ran out; src/domain/send-deadlines.ts)
 *       | uncertain_retry (sent again after an attempt that got no answer: a possible duplicate)
 *   order_journeys_provider_send_duration_seconds{provider,channel,outcome} each provider call: ok | refused |
 *   unavailable | error
 *   order_journeys_provider_circuit_state{provider,state}   the providers' circuit breakers (circuit-metrics.ts)
 *   order_journeys_provider_circuit_errors_total{operation}  breaker calls that failed (sent as if closed)
 *   + Node.js process metrics
 *
 * The Temporal SDK's own metrics (task slots, poll latencies, workflow and activity outcomes…) are exported by the
 * SDK's Runtime on WORKER_SDK_METRICS_PORT (default 9465): two scrape targets, each with the exporter that knows its
 * numbers.
 *
 * Nothing here touches the activity's code: the providers and the send activity are wrapped where the worker builds
 * them.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { JourneyActivities } from '../activities';
import { ProviderError, type EmailProvider, type SmsProvider } from '../providers/types';
import { registerCircuitGauge, type CircuitStates } from './circuit-metrics';

export interface WorkerMetrics {
  registry: Registry;
  messages: Counter<'message_type' | 'channel' | 'outcome'>;
  providerSendSeconds: Histogram<'provider' | 'channel' | 'outcome'>;
  /** Circuit breaker calls that failed (PostgreSQL away): the send went on as if the circuit were closed. */
  circuitErrors: Counter<'operation'>;
}

export function createWorkerMetrics(
  options: { processMetrics?: boolean; circuits?: CircuitStates } = {},
): WorkerMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  if (options.circuits) registerCircuitGauge(registry, options.circuits);
  return {
    registry,
    messages: new Counter({
      name: 'order_journeys_messages_total',
      help: 'Customer messages handled by the send activity, by message type, channel and outcome',
      labelNames: ['message_type', 'channel', 'outcome'],
      registers: [registry],
    }),
    providerSendSeconds: new Histogram({
      name: 'order_journeys_provider_send_duration_seconds',
      help: 'Time a messaging provider took to accept or refuse a message',
      labelNames: ['provider', 'channel', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    circuitErrors: new Counter({
      name: 'order_journeys_provider_circuit_errors_total',
      help: 'Circuit breaker reads and writes that failed; the send went on as if the circuit were closed',
      labelNames: ['operation'],
      registers: [registry],
    }),
  };
}

function providerOutcome(err: unknown): string {
  if (!(err instanceof ProviderError)) return 'error';
  return err.retryable ? 'unavailable' : 'refused';
}

async function timed<T>(
  metrics: WorkerMetrics,
  labels: { provider: string; channel: string },
  send: () => Promise<T>,
): Promise<T> {
  const end = metrics.providerSendSeconds.startTimer(labels);
  try {
    const result = await send();
    end({ outcome: 'ok' });
    return result;
  } catch (err) {
    end({ outcome: providerOutcome(err) });
    throw err;
  }
}

/** The same email provider, each call timed under its own name. */
export function instrumentEmail(email: EmailProvider, metrics: WorkerMetrics): EmailProvider {
  return {
    name: email.name,
    sendEmail: (message) => timed(metrics, { provider: email.name, channel: 'email' }, () => email.sendEmail(message)),
  };
}

/** The same SMS provider, each call timed under its own name. */
export function instrumentSms(sms: SmsProvider, metrics: WorkerMetrics): SmsProvider {
  return {
    name: sms.name,
    sendSms: (message) => timed(metrics, { provider: sms.name, channel: 'sms' }, () => sms.sendSms(message)),
  };
}

/** The same providers, each call timed. */
export function instrumentProviders(
  providers: { email: EmailProvider; sms: SmsProvider },
  metrics: WorkerMetrics,
): { email: EmailProvider; sms: SmsProvider } {
  return { email: instrumentEmail(providers.email, metrics), sms: instrumentSms(providers.sms, metrics) };
}

/**
 * The same activities; `sendCustomerMessage` counts each message by what became of it, `recordUndeliverable` the given
 * up.
 */
export function instrumentActivities<A extends Pick<JourneyActivities, 'sendCustomerMessage' | 'recordUndeliverable'>>(
  activities: A,
  metrics: WorkerMetrics,
): A {
  const send = activities.sendCustomerMessage;
  const giveUp = activities.recordUndeliverable;
  return {
    ...activities,
    async recordUndeliverable(input) {
      const outcome = await giveUp(input);
      if (!outcome.alreadyRecorded)
        metrics.messages.inc({ message_type: input.messageType, channel: input.channel, outcome: 'gave_up' });
      return outcome;
    },
    async sendCustomerMessage(input) {
      const labels = { message_type: input.message.messageType, channel: input.channel };
      try {
        const outcome = await send(input);
        metrics.messages.inc({ ...labels, outcome: outcome.alreadyRecorded ? 'already_recorded' : outcome.status });
        return outcome;
      } catch (err) {
        // Thrown = Temporal retries it: a provider outage (ProviderUnavailable) or a failure of our own.
        metrics.messages.inc({
          ...labels,
          outcome: (err as { type?: string })?.type === 'ProviderUnavailable' ? 'retrying' : 'error',
        });
        throw err;
      }
    },
  };
}
