/**
 * Provider failover (docs/failover.md): the circuit breakers' thresholds, shared by every provider, and how long a
 * rate limit may ask us to wait before a message goes to the secondary provider instead.
 */
import { z } from 'zod';
import type { CircuitSettings } from '../../domain/provider-circuit';
import { defineSection } from '../section';

export interface FailoverConfig {
  circuit: CircuitSettings;
  maxRateLimitWaitMs: number;
}

const seconds = (fallback: number) =>
  z.coerce.number({ error: 'must be a number of seconds' }).positive('must be a positive number').default(fallback);

export const failoverSection = defineSection({
  variables: {
    PROVIDER_CIRCUIT_FAILURE_THRESHOLD: z.coerce
      .number({ error: 'must be a whole number of failures' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .default(5),
    PROVIDER_CIRCUIT_OPEN_SECONDS: seconds(30),
    PROVIDER_CIRCUIT_PROBE_TIMEOUT_SECONDS: seconds(15),
    FAILOVER_MAX_RATE_LIMIT_WAIT_SECONDS: seconds(5),
  },
  read: (e): { failover: FailoverConfig } => ({
    failover: {
      circuit: {
        failureThreshold: e.PROVIDER_CIRCUIT_FAILURE_THRESHOLD,
        openForMs: e.PROVIDER_CIRCUIT_OPEN_SECONDS * 1000,
        probeTimeoutMs: e.PROVIDER_CIRCUIT_PROBE_TIMEOUT_SECONDS * 1000,
      },
      maxRateLimitWaitMs: e.FAILOVER_MAX_RATE_LIMIT_WAIT_SECONDS * 1000,
    },
  }),
});
