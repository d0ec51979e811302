/**
 * The API as support's report tools see it: the real app on the test database, without Temporal (no report reaches a
 * journey), with a support and a checkout key.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { productionPolicy } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { buildApi } from '../../src/server';

export const SUPPORT = 'Bearer report-support-key';
export const CHECKOUT = 'Bearer report-checkout-key';

export function reportApp(pool: Pool, env: Record<string, string> = {}) {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    API_KEYS_SUPPORT: SUPPORT.slice('Bearer '.length),
    API_KEYS_CHECKOUT: CHECKOUT.slice('Bearer '.length),
    ...env,
  });
  const noTemporal = new Proxy(
    {},
    {
      get: () => {
        throw new Error('this test runs without Temporal');
      },
    },
  ) as Client;
  return buildApi(config, pool, noTemporal, productionPolicy, createLogger({ level: 'silent' }));
}
