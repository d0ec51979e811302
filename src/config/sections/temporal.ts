/** Temporal: where the cluster is, how to authenticate, and the keys that encrypt every payload it stores. */
import { z } from 'zod';
import type { TemporalSettings } from '../../temporal/connection';
import { parseKeyRing } from '../../temporal/encryption-codec';
import { bool } from '../values';
import { defineSection, requireTogether } from '../section';

/** The published payload key of laptops and tests (32 bytes of "order-journeys-dev-key"); refused in production. */
export const DEV_ENCRYPTION_KEYS = `dev:${Buffer.from('order-journeys-dev-key-32-bytes!').toString('base64')}`;

/**
 * Journeys a worker keeps in memory between their tasks, unless TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS says otherwise.
 * A journey spends days asleep between its steps, so caching it saves nothing once it parks; the cache only serves the
 * journeys busy right now (a checkout's confirmation, a run of carrier news). 200 holds every journey the bench keeps
 * busy at once and bounds the worker's memory however many are parked (P4: ~0.35 MB per cached journey, so about
 * 200 + 70 MB; the SDK's own default follows the heap limit, 2,310 here, ~1 GB).
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 200;

export const temporalSection = defineSection({
  variables: {
    TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('order-journeys'),
    TEMPORAL_TLS: bool.default(false),
    TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS: z.coerce
      .number({ error: 'must be a number of workflows' })
      .int('must be a whole number of workflows')
      .min(0, 'must be 0 or more')
      .default(DEFAULT_MAX_CACHED_WORKFLOWS),
    /** A prebuilt workflow bundle (src/bundle-workflows.ts); a built worker's dist/workflow-bundle.js by default. */
    TEMPORAL_WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    /** `id:base64key[,id:base64key…]`, newest first (src/temporal/encryption-codec.ts). */
    PAYLOAD_ENCRYPTION_KEYS: z
      .string()
      .superRefine((spec, ctx) => {
        try {
          parseKeyRing(spec);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      })
      .optional(),
  },
  check(e, report) {
    requireTogether(e, ['TEMPORAL_TLS_CERT_PATH', 'TEMPORAL_TLS_KEY_PATH'], 'mTLS to Temporal', report);
    if (e.NODE_ENV !== 'production') return;
    if (!e.PAYLOAD_ENCRYPTION_KEYS) report('PAYLOAD_ENCRYPTION_KEYS', 'is required in production');
    else if (e.PAYLOAD_ENCRYPTION_KEYS.includes(DEV_ENCRYPTION_KEYS.slice('dev:'.length))) {
      report('PAYLOAD_ENCRYPTION_KEYS', 'must not use the published dev key in production');
    }
  },
  read: (e): TemporalSettings => ({
    address: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    tls:
      e.TEMPORAL_TLS || e.TEMPORAL_TLS_CERT_PATH
        ? { certPath: e.TEMPORAL_TLS_CERT_PATH, keyPath: e.TEMPORAL_TLS_KEY_PATH }
        : undefined,
    apiKey: e.TEMPORAL_API_KEY,
    encryptionKeys: parseKeyRing(e.PAYLOAD_ENCRYPTION_KEYS ?? DEV_ENCRYPTION_KEYS),
    maxCachedWorkflows: e.TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS,
    workflowBundlePath: e.TEMPORAL_WORKFLOW_BUNDLE_PATH,
  }),
});
