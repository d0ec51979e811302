/**
 * The API for the reliability tests, on the Temporal dev server: built as src/server.ts's buildApi builds it, plus the
 * idempotency-key store and short journey timeouts (so "no worker answered" takes a second, not five), with workers
 * the tests stop and start again. Any pool can be passed: one on a closed port plays PostgreSQL being down.
 */
import type { Express } from 'express';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { loadConfig } from '../../src/config';
import { ConsentStore } from '../../src/db/consent';
import { IdempotencyKeys } from '../../src/db/idempotency-keys';
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { JourneyViews } from '../../src/db/journey-views';
import { ParcelDirectory } from '../../src/db/parcels';
import { CustomerPreferenceStore } from '../../src/db/preferences';
import { WebhookInbox } from '../../src/db/webhook-events';
import { productionPolicy } from '../../src/domain/policy';
import { JourneyService, type JourneyTimeouts } from '../../src/journeys/journey-service';
import { createLogger } from '../../src/logger';
import type { WorkerGroup } from '../../src/temporal/journey-workers';
import { anOrder, uniqueId } from '../helpers/fixtures';
import { TEST_KEYS, eventually } from '../helpers/api-world';
import { createTestWorker } from '../helpers/temporal';

export const CHECKOUT = TEST_KEYS.checkout;
export const SUPPORT = TEST_KEYS.support;
export const SHORT_TIMEOUTS: JourneyTimeouts = { queryMs: 1_500, actionMs: 2_000 };

export function reliabilityApp(
  client: Client,
  pool: Pool,
  taskQueue: string,
  timeouts: Partial<JourneyTimeouts> = SHORT_TIMEOUTS,
): Express {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_KEYS_CHECKOUT: CHECKOUT.slice('Bearer '.length),
    API_KEYS_SUPPORT: SUPPORT.slice('Bearer '.length),
  });
  const ledger = new MessageLedger(pool);
  const journeys = new JourneyService(
    client,
    taskQueue,
    productionPolicy,
    { ledger, parcels: new ParcelDirectory(pool), views: new JourneyViews(pool) },
    timeouts,
  );
  return createApp({
    config,
    logger: createLogger({ level: process.env.TEST_API_LOG_LEVEL ?? 'silent' }),
    journeys,
    outbox: new OutboxStore(pool),
    webhooks: { ledger, consent: new ConsentStore(pool), inbox: new WebhookInbox(pool), carriers: {} },
    preferences: new CustomerPreferenceStore(pool),
    idempotencyKeys: new IdempotencyKeys(pool),
    readiness: {},
  });
}

/** The journey's workers on one task queue, stopped and started again at will (a crash-free stand-in for a restart). */
export class Workers {
  private group?: WorkerGroup;
  private running?: Promise<void>;

  constructor(
    private readonly env: TestWorkflowEnvironment,
    private readonly taskQueue: string,
    private readonly pool: Pool,
  ) {}

  async start(): Promise<void> {
    this.group = await createTestWorker(this.env, this.taskQueue, this.pool);
    this.running = this.group.run();
  }

  async stop(): Promise<void> {
    this.group?.shutdown();
    await this.running;
    this.group = undefined;
  }
}

export const journeyOf = async (app: Express, orderId: string) =>
  (await request(app).get(`/v1/orders/${orderId}/journey`).set('Authorization', SUPPORT).expect(200)).body;

/** An order placed and confirmed (the journey awaits its shipment). */
export async function placeOrder(app: Express) {
  const order = anOrder({ channels: ['email'] });
  await request(app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(201);
  await eventually(
    async () => ((await journeyOf(app, order.orderId)).stage === 'awaiting_shipment' ? true : undefined),
    'confirmation',
  );
  return order;
}

/** A parcel with all of the order's items, under a tracking number no other test uses. */
export async function shipAll(app: Express, order: ReturnType<typeof anOrder>) {
  const trackingNumber = uniqueId('1Z')
    .replace(/[^A-Za-z0-9-]/g, '')
    .toUpperCase();
  const items = order.items.map(({ sku, quantity }) => ({ sku, quantity }));
  await request(app)
    .post(`/v1/orders/${order.orderId}/shipments`)
    .set('Authorization', CHECKOUT)
    .send({ carrier: 'ups', trackingNumber, items })
    .expect(201);
  return trackingNumber;
}
