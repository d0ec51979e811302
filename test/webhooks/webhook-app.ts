/**
 * The API as providers see it, for webhook tests: the real app on the test database. Tests of the ledger and consent
 * webhooks need no Temporal server (nothing reaches a journey); the tracking tests pass a real client.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { WebhookStats } from '../../src/api/webhooks';
import { loadConfig } from '../../src/config';
import { MessageLedger } from '../../src/db/ledger';
import type { Channel } from '../../src/domain/order';
import { productionPolicy, type JourneyPolicy } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { buildApi } from '../../src/server';
import { uniqueId } from '../helpers/fixtures';

export const PUBLIC_BASE_URL = 'https://journeys.test-shop.example';

export function webhookApp(
  pool: Pool,
  env: Record<string, string>,
  client?: Client,
  policy: JourneyPolicy = productionPolicy,
) {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: process.env.TEST_DATABASE_URL, PUBLIC_BASE_URL, ...env });
  const stats = new WebhookStats();
  const noTemporal = new Proxy(
    {},
    {
      get: () => {
        throw new Error('this test runs without Temporal');
      },
    },
  ) as Client;
  const app = buildApi(config, pool, client ?? noTemporal, policy, createLogger({ level: 'silent' }), stats);
  return { app, stats, config };
}

/** A message the journey sent through a provider: its ledger row, as the notify activity leaves it. */
export async function aSentMessage(
  ledger: MessageLedger,
  channel: Channel,
  provider: string,
  providerMessageId: string,
) {
  const orderId = uniqueId('ord');
  const entry = await ledger.claim({
    journeyId: `order-${orderId}`,
    orderId,
    step: 'confirmation',
    channel,
    messageType: 'confirmation',
  });
  await ledger.markSent(entry.id, provider, providerMessageId);
  return { ...entry, orderId };
}

export async function ledgerRow(ledger: MessageLedger, orderId: string) {
  const [row] = await ledger.forOrder(orderId);
  return row!;
}
