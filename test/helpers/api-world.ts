/**
 * The service as checkout and support reach it, for dev-server tests: the Temporal dev server, the journey's workers on
 * this run's database, and the HTTP API built as production builds it (`buildApi`), with test API keys.
 */
import type { Express } from 'express';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import type { JourneyPolicy } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { buildApi } from '../../src/server';
import type { WorkerGroup } from '../../src/temporal/journey-workers';
import { testPool } from './database';
import { createTestWorker, startDevServerEnv } from './temporal';

export const TEST_KEYS = { checkout: 'Bearer test-checkout-key', support: 'Bearer test-support-key' };

export interface ApiWorld {
  env: TestWorkflowEnvironment;
  pool: Pool;
  app: Express;
  stop(): Promise<void>;
}

export async function startApiWorld(taskQueue: string, policy: JourneyPolicy): Promise<ApiWorld> {
  const pool = testPool();
  const env = await startDevServerEnv();
  const worker: WorkerGroup = await createTestWorker(env, taskQueue, pool);
  const running = worker.run();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_KEYS_CHECKOUT: TEST_KEYS.checkout.slice('Bearer '.length),
    API_KEYS_SUPPORT: TEST_KEYS.support.slice('Bearer '.length),
  });
  const app = buildApi(config, pool, env.client, policy, createLogger({ level: 'silent' }));
  return {
    env,
    pool,
    app,
    stop: async () => {
      worker.shutdown();
      await running;
      await env.teardown();
      await pool.end();
    },
  };
}

/** Polls `probe` (in real time) until it returns something: visibility and journeys move on asynchronously. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
