/**
 * The AfterShip adapter against a local server answering as AfterShip's Tracking API does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AfterShipTracking, AFTERSHIP_API_VERSION } from '../../src/providers/carriers/aftership';
import { WebhookSignatureError } from '../../src/providers/carriers/types';
import {
  afterShipSignature,
  afterShipTracking,
  afterShipWebhook,
  startAfterShipStub,
  type CarrierStub,
} from '../helpers/carrier-stubs';

const API_KEY = 'asat_0123456789abcdef';
const SECRET = 'aftership-webhook-secret';
let aftership: CarrierStub & { created: Set<string> };
let adapter: AfterShipTracking;

beforeAll(async () => {
  aftership = await startAfterShipStub({
    '05222000001': { tag: 'InfoReceived' },
    '05222000002': { tag: 'InTransit' },
    '05222000003': { tag: 'OutForDelivery' },
    '05222000004': { tag: 'AvailableForPickup' },
    '05222000005': { tag: 'AttemptFail' },
    '05222000006': { tag: 'Delivered' },
    '05222000007': { tag: 'Exception', subtag: 'Exception_007' },
    '05222000008': { tag: 'Exception', subtag: 'Exception_011' },
    '05222000009': { tag: 'Pending' },
    '05222000010': { tag: 'Expired' },
  });
  adapter = new AfterShipTracking({ apiKey: API_KEY, webhookSecret: SECRET, baseUrl: aftership.url });
});
afterAll(() => aftership?.stop());
afterEach(() => aftership.override(undefined));

describe('AfterShip tracking', () => {
  it.each([
    ['05222000001', 'InfoReceived', 'label_created'],
    ['05222000002', 'InTransit', 'in_transit'],
    ['05222000003', 'OutForDelivery', 'out_for_delivery'],
    ['05222000004', 'AvailableForPickup', 'available_for_pickup'],
    ['05222000005', 'AttemptFail', 'attempt_failed'],
    ['05222000006', 'Delivered', 'delivered'],
    ['05222000007', 'Exception (incorrect address)', 'exception'],
    ['05222000008', 'Exception (returned to sender)', 'returned_to_sender'],
  ])('reads %s tagged %s as %s', async (number, _tag, status) => {
    await expect(adapter.latestStatus('dpd', number)).resolves.toEqual({
      status,
      occurredAt: expect.any(String),
      description: expect.any(String),
    });
    const call = aftership.calls.at(-1)!;
    const url = new URL(call.path, 'http://stub');
    expect(url.pathname).toBe(`/tracking/${AFTERSHIP_API_VERSION}/trackings`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ tracking_numbers: number, slug: 'dpd' });
    expect(call.headers['as-api-key']).toBe(API_KEY);
  });

  it('takes the newest checkpoint’s time as when it happened', async () => {
    await expect(adapter.latestStatus('dpd', '05222000006')).resolves.toMatchObject({
      occurredAt: '2026-11-24T09:30:00.000Z',
    });
  });

  it('has no status for Pending, Expired or an untracked number (the journey reports silent parcels)', async () => {
    await expect(adapter.latestStatus('dpd', '05222000009')).resolves.toBeNull();
    await expect(adapter.latestStatus('dpd', '05222000010')).resolves.toBeNull();
    await expect(adapter.latestStatus('dpd', '05222999999')).resolves.toBeNull();
  });

  it('registers a tracking once, and a second registration is no error', async () => {
    await adapter.registerTracker('DPD', '05222000042');
    await adapter.registerTracker('dpd', '05222000042');
    const posts = aftership.calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => JSON.parse(c.body))).toEqual([
      { tracking_number: '05222000042', slug: 'dpd' },
      { tracking_number: '05222000042', slug: 'dpd' },
    ]);
  });

  it('classifies refusals: 5xx and 429 retry, other 4xx are final', async () => {
    aftership.override({
      status: 500,
      body: {
        meta: { code: 500, message: 'Something went wrong on AfterShip’s end.', type: 'InternalError' },
        data: {},
      },
    });
    await expect(adapter.latestStatus('dpd', '05222000001')).rejects.toMatchObject({ retryable: true });
    aftership.override({
      status: 429,
      body: {
        meta: { code: 429, message: 'You have exceeded the API call rate limit.', type: 'TooManyRequests' },
        data: {},
      },
    });
    await expect(adapter.registerTracker('dpd', '05222000001')).rejects.toMatchObject({ retryable: true });
    aftership.override({
      status: 400,
      body: { meta: { code: 4005, message: 'The value of tracking_number is invalid.', type: 'BadRequest' }, data: {} },
    });
    await expect(adapter.registerTracker('dpd', 'x')).rejects.toMatchObject({ retryable: false, code: '4005' });
    aftership.override({
      status: 401,
      body: { meta: { code: 401, message: 'The API Key is invalid.', type: 'Unauthorized' }, data: {} },
    });
    await expect(adapter.latestStatus('dpd', '05222000001')).rejects.toMatchObject({ retryable: false, code: '401' });
  });

  it('asks once and leaves retrying to the activity: a 5xx is one call, no retry inside the SDK', async () => {
    aftership.override({
      status: 503,
      body: { meta: { code: 503, message: 'Service Unavailable', type: 'InternalError' }, data: {} },
    });
    const before = aftership.calls.length;
    await expect(adapter.latestStatus('dpd', '05222000002')).rejects.toMatchObject({ retryable: true, code: '503' });
    expect(aftership.calls.length - before).toBe(1);
  });

  it('takes a base URL with a trailing slash', async () => {
    const slashed = new AfterShipTracking({ apiKey: API_KEY, baseUrl: `${aftership.url}/` });
    await expect(slashed.latestStatus('dpd', '05222000006')).resolves.toMatchObject({ status: 'delivered' });
  });

  it('retries when AfterShip does not answer: connection refused, or no answer in time', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = new AfterShipTracking({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}` });
    await expect(refused.latestStatus('dpd', '05222000001')).rejects.toMatchObject({
      retryable: true,
      code: 'ECONNREFUSED',
    });

    const silent = http.createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const slow = new AfterShipTracking({ apiKey: API_KEY, baseUrl: url, timeoutMs: 200 });
      await expect(slow.registerTracker('dpd', '05222000001')).rejects.toMatchObject({
        retryable: true,
        code: 'ETIMEDOUT',
      });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('AfterShip webhooks', () => {
  const body = JSON.stringify(
    afterShipWebhook('6a1b2c3d-0000-4000-8000-000000000001', afterShipTracking('05222000003', 'OutForDelivery')),
  );

  it('turns a signed tracking update into our event', () => {
    expect(
      adapter.parseWebhook(Buffer.from(body), { 'aftership-hmac-sha256': afterShipSignature(body, SECRET) }),
    ).toEqual([
      {
        trackingNumber: '05222000003',
        carrier: 'dpd',
        status: 'out_for_delivery',
        occurredAt: '2026-11-24T09:30:00.000Z',
        eventId: '6a1b2c3d-0000-4000-8000-000000000001',
        description: 'Out for delivery',
      },
    ]);
  });

  it('refuses a tampered body, another secret and a missing signature', () => {
    const signature = afterShipSignature(body, SECRET);
    expect(() =>
      adapter.parseWebhook(Buffer.from(body.replace('OutForDelivery', 'Delivered')), {
        'aftership-hmac-sha256': signature,
      }),
    ).toThrow(WebhookSignatureError);
    expect(() =>
      adapter.parseWebhook(Buffer.from(body), { 'aftership-hmac-sha256': afterShipSignature(body, 'guess') }),
    ).toThrow(expect.objectContaining({ reason: 'bad_signature' }));
    expect(() => adapter.parseWebhook(Buffer.from(body), {})).toThrow(
      expect.objectContaining({ reason: 'missing_signature' }),
    );
  });
});
