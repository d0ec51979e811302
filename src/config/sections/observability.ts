/** Logs and metrics (src/logger.ts, src/observability/). */
import { z } from 'zod';
import { port } from '../values';
import { defineSection } from '../section';

export interface ObservabilityConfig {
  logLevel: string;
  workerMetricsPort: number;
  workerSdkMetricsPort: number;
}

export const observabilitySection = defineSection({
  variables: {
    /** pino's level for the API's and the worker's JSON logs. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** The worker's own Prometheus metrics (messages, provider latency, process) at :PORT/metrics. */
    WORKER_METRICS_PORT: port.default(9464),
    /**
     * The Temporal SDK's Prometheus metrics (Core: task slots, polls, workflow and activity outcomes), :PORT/metrics.
     */
    WORKER_SDK_METRICS_PORT: port.default(9465),
  },
  read: (e): ObservabilityConfig => ({
    logLevel: e.LOG_LEVEL,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    workerSdkMetricsPort: e.WORKER_SDK_METRICS_PORT,
  }),
});
