/**
 * The README's recipe "Add a carrier tracking provider", followed for real: a small provider ("ParcelHub", a local HTTP
 * server) gets one entry in a copy of the provider table, and with nothing else changed it is configured from its own
 * variables, selectable per carrier, called for its parcels, and its webhook route checks signatures and keeps events.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { z } from 'zod';
import { configLoader, ConfigError } from '../../src/config';
import { environmentSchema, configSections } from '../../src/config/env';
import { WebhookStats } from '../../src/api/webhooks';
import { trackingWebhooks } from '../../src/api/webhooks/tracking';
import { JourneyViews } from '../../src/db/journey-views';
import { ParcelDirectory } from '../../src/db/parcels';
import { MessageLedger } from '../../src/db/ledger';
import { WebhookInbox } from '../../src/db/webhook-events';
import type { TrackingUpdate } from '../../src/domain/tracking-status';
import { productionPolicy } from '../../src/domain/policy';
import { JourneyService } from '../../src/journeys/journey-service';
import { createLogger } from '../../src/logger';
import { createCarrierTracking } from '../../src/providers/carriers';
import { EasyPostTracking } from '../../src/providers/carriers/easypost';
import { defineCarrierTrackingProvider } from '../../src/providers/carriers/tracking-provider';
import { CARRIER_TRACKING_PROVIDERS } from '../../src/providers/carriers/tracking-providers';
import {
  WebhookSignatureError,
  type CarrierTracking,
  type CarrierWebhookEvent,
  type WebhookHeaders,
} from '../../src/providers/carriers/types';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';

/** Step 1 of the recipe: the adapter, in our taxonomy. ParcelHub speaks GET/POST /parcels and signs webhooks. */
class ParcelHubTracking implements CarrierTracking {
  readonly name = 'parcelhub';
  constructor(private readonly options: { apiKey: string; webhookSecret?: string; baseUrl: string }) {}

  async registerTracker(carrier: string, trackingNumber: string): Promise<void> {
    await this.call('POST', '/parcels', { carrier, trackingNumber });
  }

  async latestStatus(carrier: string, trackingNumber: string): Promise<TrackingUpdate | null> {
    const parcel = (await this.call('GET', `/parcels/${carrier}/${trackingNumber}`)) as {
      status?: 'in_transit';
      at?: string;
    };
    return parcel.status && parcel.at ? { status: parcel.status, occurredAt: parcel.at } : null;
  }

  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): CarrierWebhookEvent[] {
    const given = headers['x-parcelhub-signature'];
    if (typeof given !== 'string') throw new WebhookSignatureError(this.name, 'missing_signature');
    const expected = createHmac('sha256', this.options.webhookSecret ?? '')
      .update(rawBody)
      .digest('hex');
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
      throw new WebhookSignatureError(this.name, 'bad_signature');
    }
    const { id, parcel } = JSON.parse(rawBody.toString('utf8')) as {
      id: string;
      parcel: { number: string; carrier: string; at: string };
    };
    return [
      {
        eventId: id,
        trackingNumber: parcel.number,
        carrier: parcel.carrier,
        status: 'in_transit',
        occurredAt: parcel.at,
      },
    ];
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.options.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return res.json();
  }
}

/** Step 2: one entry in the table. */
const apiKey = z.string().min(1);
const TABLE = {
  ...CARRIER_TRACKING_PROVIDERS,
  parcelhub: defineCarrierTrackingProvider({
    label: 'ParcelHub',
    options: z.object({
      apiKey,
      webhookSecret: z.string().min(1).optional(),
      baseUrl: z.url().default('https://api.parcelhub.example'),
    }),
    create: (options) => new ParcelHubTracking(options),
    webhook: { signatureHeader: 'X-ParcelHub-Signature', secretOption: 'webhookSecret' },
  }),
};

// The compiler holds an entry to its schema: a factory that needs what the schema does not read is refused.
defineCarrierTrackingProvider({
  label: 'Broken',
  options: z.object({ token: apiKey }),
  // @ts-expect-error -- EasyPostTracking needs `apiKey`, which this schema does not read
  create: (options) => new EasyPostTracking(options),
});

const loadConfig = configLoader(TABLE);
const base = { DATABASE_URL: 'postgres://localhost/test' };
const SECRET = 'parcelhub-webhook-secret';

let hub: http.Server;
let hubUrl: string;
const hubCalls: { method: string; url: string; auth?: string }[] = [];
let pool: Pool;

beforeAll(async () => {
  hub = http.createServer((req, res) => {
    hubCalls.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(req.method === 'GET' ? { status: 'in_transit', at: '2026-11-24T08:00:00Z' } : { ok: true }));
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  pool = testPool();
});
afterAll(async () => {
  await new Promise((resolve) => hub.close(resolve));
  await pool.end();
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('a carrier tracking provider added through the table', () => {
  it('is configured from its own variables, named when it is chosen without its key', () => {
    const variables = Object.keys(environmentSchema(configSections(TABLE)).shape);
    expect(variables).toEqual(
      expect.arrayContaining(['PARCELHUB_API_KEY', 'PARCELHUB_WEBHOOK_SECRET', 'PARCELHUB_BASE_URL']),
    );
    const config = loadConfig({
      ...base,
      PARCELHUB_API_KEY: 'ph-key',
      CARRIER_TRACKING_BY_CARRIER: 'omniva=parcelhub',
    });
    expect(config.carrierTracking).toEqual({
      provider: 'parcelhub', // the only provider with a key is the default
      byCarrier: { omniva: 'parcelhub' },
      options: { parcelhub: { apiKey: 'ph-key', webhookSecret: undefined, baseUrl: 'https://api.parcelhub.example' } },
    });
    expect(problemsOf({ CARRIER_TRACKING_PROVIDER: 'parcelhub' })).toEqual([
      'PARCELHUB_API_KEY is required when ParcelHub tracks parcels ' +
        '(CARRIER_TRACKING_PROVIDER / CARRIER_TRACKING_BY_CARRIER)',
    ]);
    expect(problemsOf({ PARCELHUB_WEBHOOK_SECRET: 's' })).toEqual([
      'PARCELHUB_WEBHOOK_SECRET has no effect without PARCELHUB_API_KEY',
    ]);
    // Without the entry, the same name is refused: the table, not a list elsewhere, says which providers exist.
    expect(() => configLoader(CARRIER_TRACKING_PROVIDERS)({ ...base, CARRIER_TRACKING_PROVIDER: 'parcelhub' })).toThrow(
      /CARRIER_TRACKING_PROVIDER/,
    );
  });

  it('follows the parcels of the carriers routed to it, and no others', async () => {
    const config = loadConfig({
      ...base,
      PARCELHUB_API_KEY: 'ph-key',
      PARCELHUB_BASE_URL: hubUrl,
      CARRIER_TRACKING_PROVIDER: 'none',
      CARRIER_TRACKING_BY_CARRIER: 'omniva=parcelhub',
    });
    const { tracking, adapters } = createCarrierTracking(config, TABLE);
    expect(Object.keys(adapters)).toEqual(['parcelhub']);
    hubCalls.length = 0;
    await tracking.registerTracker!('Omniva', 'OM123456789');
    expect(await tracking.latestStatus('omniva', 'OM123456789')).toEqual({
      status: 'in_transit',
      occurredAt: '2026-11-24T08:00:00Z',
    });
    expect(tracking.canTrack!('omniva')).toBe(true);
    expect(tracking.canTrack!('ups')).toBe(false); // the default is "none"
    expect(hubCalls).toEqual([
      { method: 'POST', url: '/parcels', auth: 'Bearer ph-key' },
      { method: 'GET', url: '/parcels/omniva/OM123456789', auth: 'Bearer ph-key' },
    ]);
  });

  it('gets its own webhook route: refuses a bad signature, keeps a signed event for an unknown parcel', async () => {
    const env = { ...base, PARCELHUB_API_KEY: 'ph-key', PARCELHUB_WEBHOOK_SECRET: SECRET, PARCELHUB_BASE_URL: hubUrl };
    const config = loadConfig(env);
    const inbox = new WebhookInbox(pool);
    // Nothing here may reach Temporal: an unknown parcel is answered from PostgreSQL alone.
    const noTemporal = new Proxy(
      {},
      {
        get: () => {
          throw new Error('this test runs without Temporal');
        },
      },
    ) as Client;
    const journeys = new JourneyService(noTemporal, 'recipe', productionPolicy, {
      ledger: new MessageLedger(pool),
      parcels: new ParcelDirectory(pool),
      views: new JourneyViews(pool),
    });
    const stats = new WebhookStats();
    const deps = { config, journeys, inbox, stats, logger: createLogger({ level: 'silent' }) };
    const app = express().use(
      trackingWebhooks({ ...deps, carriers: createCarrierTracking(config, TABLE).adapters }, TABLE),
    );

    const trackingNumber = uniqueId('PH');
    const body = JSON.stringify({
      id: uniqueId('evt'),
      parcel: { number: trackingNumber, carrier: 'omniva', at: '2026-11-24T09:00:00Z' },
    });
    const sign = (secret: string) => createHmac('sha256', secret).update(body).digest('hex');
    const post = (signature: string) =>
      request(app)
        .post('/v1/webhooks/tracking/parcelhub')
        .set('Content-Type', 'application/json')
        .set('X-ParcelHub-Signature', signature)
        .send(body);

    await post(sign('not-the-secret')).expect(401);
    expect(stats.refusedFor('parcelhub')).toBe(1);
    const answer = await post(sign(SECRET)).expect(202);
    expect(answer.body).toEqual({ received: 1, outcomes: ['unmatched'] });
    expect(await inbox.unmatched({ provider: 'parcelhub', lookupKey: trackingNumber })).toEqual([
      expect.objectContaining({ reason: 'unknown_tracking_number' }),
    ]);

    // Without its secret the route takes nothing and names the variable to set.
    const unsigned = loadConfig({ ...base, PARCELHUB_API_KEY: 'ph-key' });
    const bare = express().use(
      trackingWebhooks({ ...deps, config: unsigned, carriers: createCarrierTracking(unsigned, TABLE).adapters }, TABLE),
    );
    const refused = await request(bare).post('/v1/webhooks/tracking/parcelhub').send('{}').expect(503);
    expect(JSON.stringify(refused.body)).toContain('PARCELHUB_WEBHOOK_SECRET');
  });
});
