/**
 * The EasyPost adapter through the official SDK, against a local server answering as EasyPost's Trackers API does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EasyPostTracking } from '../../src/providers/carriers/easypost';
import { CarrierError, WebhookSignatureError } from '../../src/providers/carriers/types';
import {
  easyPostEvent,
  easyPostSignature,
  easyPostTracker,
  startEasyPostStub,
  type CarrierStub,
} from '../helpers/carrier-stubs';

const API_KEY = 'EZTKtest0123456789abcdef';
const SECRET = 'whsec-easypost-test';
let easypost: CarrierStub;
let adapter: EasyPostTracking;

beforeAll(async () => {
  easypost = await startEasyPostStub();
  adapter = new EasyPostTracking({ apiKey: API_KEY, webhookSecret: SECRET, baseUrl: `${easypost.url}/v2` });
});
afterAll(() => easypost?.stop());
afterEach(() => easypost.override(undefined));

describe('EasyPost tracking', () => {
  it.each([
    ['EZ1000000001', 'label_created'],
    ['EZ2000000002', 'in_transit'],
    ['EZ3000000003', 'out_for_delivery'],
    ['EZ4000000004', 'delivered'],
    ['EZ5000000005', 'returned_to_sender'],
    ['EZ6000000006', 'exception'],
  ])('reads test code %s as %s, timed by the newest scan', async (code, status) => {
    await expect(adapter.latestStatus('usps', code)).resolves.toEqual({
      status,
      occurredAt: '2026-11-24T09:30:00.000Z',
      description: expect.any(String),
    });
    const call = easypost.calls.at(-1)!;
    expect(call.path).toBe(`/v2/trackers?tracking_code=${code}&carrier=USPS&page_size=1`);
    expect(call.headers.authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`);
  });

  it('knows nothing about EZ7000000007 (unknown) nor about a code EasyPost does not track', async () => {
    await expect(adapter.latestStatus('usps', 'EZ7000000007')).resolves.toBeNull();
    await expect(adapter.latestStatus('usps', '9400100000000000000000')).resolves.toBeNull();
  });

  it('registers a tracker with the tracking code and EasyPost’s carrier name', async () => {
    await adapter.registerTracker('ups', 'EZ2000000002');
    const call = easypost.calls.at(-1)!;
    expect(call).toMatchObject({ method: 'POST', path: '/v2/trackers' });
    expect(JSON.parse(call.body)).toEqual({ tracker: { tracking_code: 'EZ2000000002', carrier: 'UPS' } });
  });

  it('leaves carriers it has no name for to EasyPost’s detection', async () => {
    await adapter.registerTracker('omniva', 'EZ1000000001');
    expect(JSON.parse(easypost.calls.at(-1)!.body)).toEqual({ tracker: { tracking_code: 'EZ1000000001' } });
  });

  it('classifies refusals: 5xx and 429 retry, other 4xx are final', async () => {
    easypost.override({
      status: 503,
      body: { error: { code: 'SERVICE.UNAVAILABLE', message: 'Service unavailable', errors: [] } },
    });
    await expect(adapter.latestStatus('usps', 'EZ1000000001')).rejects.toMatchObject({ retryable: true, code: '503' });
    easypost.override({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: 'Too many requests', errors: [] } },
    });
    await expect(adapter.registerTracker('usps', 'EZ1000000001')).rejects.toMatchObject({
      retryable: true,
      code: '429',
    });
    easypost.override({
      status: 422,
      body: { error: { code: 'TRACKER.TRACKING_CODE.INVALID', message: 'Invalid tracking code', errors: [] } },
    });
    const refusal = await adapter.registerTracker('usps', 'NOPE').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(CarrierError);
    expect(refusal).toMatchObject({ retryable: false, code: '422', provider: 'easypost' });
  });

  it('gives up on an answer that does not come within its timeout, and that is worth retrying', async () => {
    // Takes the request, never answers; unref'd so that a hanging client cannot keep jest from exiting.
    const silent = http.createServer((req) => req.socket.unref());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silent.unref();
    const { port } = silent.address() as AddressInfo;
    const slow = new EasyPostTracking({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}/v2`, timeoutMs: 300 });
    try {
      await expect(slow.latestStatus('usps', 'EZ1000000001')).rejects.toMatchObject({
        retryable: true,
        code: 'ETIMEDOUT',
      });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a connection that is refused is worth retrying', async () => {
    const down = new EasyPostTracking({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9/v2' });
    await expect(down.latestStatus('usps', 'EZ1000000001')).rejects.toMatchObject({
      retryable: true,
      code: 'ECONNREFUSED',
    });
  });
});

describe('EasyPost webhooks', () => {
  const body = JSON.stringify(easyPostEvent('evt_0f1e2d3c4b5a', easyPostTracker('EZ4000000004')));

  it('turns a signed tracker event into our event', () => {
    expect(adapter.parseWebhook(Buffer.from(body), { 'x-hmac-signature': easyPostSignature(body, SECRET) })).toEqual([
      {
        trackingNumber: 'EZ4000000004',
        carrier: 'usps',
        status: 'delivered',
        occurredAt: '2026-11-24T09:30:00.000Z',
        eventId: 'evt_0f1e2d3c4b5a',
        description: 'Delivered, In/At Mailbox',
      },
    ]);
  });

  it('gives EasyPost’s "unknown" no status of ours', () => {
    const unknown = JSON.stringify(easyPostEvent('evt_unknown', easyPostTracker('EZ7000000007')));
    expect(
      adapter.parseWebhook(Buffer.from(unknown), { 'x-hmac-signature': easyPostSignature(unknown, SECRET) }),
    ).toEqual([expect.objectContaining({ trackingNumber: 'EZ7000000007', status: null })]);
  });

  it('refuses a tampered body, another secret and a missing signature', () => {
    const signature = easyPostSignature(body, SECRET);
    const tampered = body.replace('"delivered"', '"return_to_sender"');
    expect(() => adapter.parseWebhook(Buffer.from(tampered), { 'x-hmac-signature': signature })).toThrow(
      WebhookSignatureError,
    );
    expect(() =>
      adapter.parseWebhook(Buffer.from(body), { 'x-hmac-signature': easyPostSignature(body, 'other-secret') }),
    ).toThrow(expect.objectContaining({ reason: 'bad_signature' }));
    expect(() => adapter.parseWebhook(Buffer.from(body), {})).toThrow(
      expect.objectContaining({ reason: 'missing_signature' }),
    );
  });
});
