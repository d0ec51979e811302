/**
 * Support reads and sets a customer's preferences over HTTP; customers leave marketing with one click, without a login.
 * No Temporal needed: these routes only talk to PostgreSQL.
 */
import request from 'supertest';
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import { DEV_UNSUBSCRIBE_SECRET, loadConfig } from '../../src/config';
import { CustomerPreferenceStore } from '../../src/db/preferences';
import { productionPolicy } from '../../src/domain/policy';
import { createUnsubscribeToken, UnsubscribeLinks } from '../../src/domain/unsubscribe-token';
import { createLogger } from '../../src/logger';
import { buildApi } from '../../src/server';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';

const SUPPORT = 'Bearer prefs-support-key';
const CHECKOUT = 'Bearer prefs-checkout-key';
const pool = testPool();
const store = new CustomerPreferenceStore(pool);
let app: Express;

beforeAll(() => {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    API_KEYS_CHECKOUT: 'prefs-checkout-key',
    API_KEYS_SUPPORT: 'prefs-support-key',
    PUBLIC_BASE_URL: 'https://journeys.shop.example',
  });
  const noTemporal = new Proxy(
    {},
    {
      get: () => {
        throw new Error('this test runs without Temporal');
      },
    },
  ) as Client;
  app = buildApi(config, pool, noTemporal, productionPolicy, createLogger({ level: 'silent' }));
});
afterAll(() => pool.end());

const preferencesOf = (customerId: string) => `/v1/customers/${customerId}/preferences`;

describe('GET/PUT /v1/customers/:customerId/preferences', () => {
  it('a customer nobody recorded anything for: 200 with the defaults (every channel on, marketing not asked)', async () => {
    const customerId = uniqueId('cus');
    const { body } = await request(app).get(preferencesOf(customerId)).set('Authorization', SUPPORT).expect(200);
    expect(body).toEqual({
      customerId,
      known: false,
      channels: { email: true, sms: true },
      marketing: 'not_asked',
      statements: {},
      optOuts: [],
    });
  });

  it('support turns marketing off and SMS off, with a reason; the answer and a later GET show it, with source and time', async () => {
    const customerId = uniqueId('cus');
    const put = await request(app)
      .put(preferencesOf(customerId))
      .set('Authorization', SUPPORT)
      .send({ marketing: false, channels: { sms: false }, reason: 'asked on the phone' })
      .expect(200);
    expect(put.body).toMatchObject({
      customerId,
      known: true,
      channels: { email: true, sms: false },
      marketing: 'opted_out',
      statements: {
        marketing: { status: 'opted_out', source: 'support', reason: 'asked on the phone' },
        sms: { status: 'opted_out', source: 'support' },
      },
    });
    expect(put.body.optOuts.map((o: { topic: string }) => o.topic).sort()).toEqual(['marketing', 'sms']);
    expect(Date.parse(put.body.statements.marketing.at)).toBeGreaterThan(Date.now() - 60_000);

    const get = await request(app).get(preferencesOf(customerId)).set('Authorization', SUPPORT).expect(200);
    expect(get.body).toEqual(put.body);
  });

  it('turning marketing back on keeps the earlier opt-out in the record', async () => {
    const customerId = uniqueId('cus');
    await request(app)
      .put(preferencesOf(customerId))
      .set('Authorization', SUPPORT)
      .send({ marketing: false })
      .expect(200);
    const { body } = await request(app)
      .put(preferencesOf(customerId))
      .set('Authorization', SUPPORT)
      .send({ marketing: true })
      .expect(200);
    expect(body).toMatchObject({
      marketing: 'opted_in',
      optOuts: [expect.objectContaining({ topic: 'marketing', source: 'support' })],
    });
  });

  it('400 naming the field: a wrong type, an unknown field, nothing to change, a bad customer id', async () => {
    const put = (body: object, customerId = uniqueId('cus')) =>
      request(app).put(preferencesOf(customerId)).set('Authorization', SUPPORT).send(body);
    const wrongType = await put({ marketing: 'no' }).expect(400);
    expect(wrongType.body.error).toMatchObject({
      code: 'invalid_request',
      details: [expect.objectContaining({ path: 'marketing' })],
    });
    expect(wrongType.body.error.message).toMatch(/^invalid preferences: marketing /);
    const unknownChannel = await put({ channels: { fax: false } }).expect(400);
    expect(unknownChannel.body.error.message).toMatch(/fax/);
    const unknownField = await put({ marketing: true, newsletter: true }).expect(400);
    expect(unknownField.body.error.message).toMatch(/newsletter/);
    const nothing = await put({ reason: 'no change' }).expect(400);
    expect(nothing.body.error.details).toEqual([expect.objectContaining({ path: 'marketing' })]);
    const badId = await request(app).get(preferencesOf('no spaces allowed')).set('Authorization', SUPPORT).expect(400);
    expect(badId.body.error.details).toEqual([expect.objectContaining({ path: 'customerId' })]);
  });

  it('support only: without a key 401, with the checkout key 403', async () => {
    const customerId = uniqueId('cus');
    await request(app).get(preferencesOf(customerId)).expect(401);
    await request(app).put(preferencesOf(customerId)).send({ marketing: false }).expect(401);
    await request(app).get(preferencesOf(customerId)).set('Authorization', CHECKOUT).expect(403);
    const refused = await request(app)
      .put(preferencesOf(customerId))
      .set('Authorization', CHECKOUT)
      .send({ marketing: false })
      .expect(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await store.get(customerId)).known).toBe(false); // nothing changed
  });
});

describe('one-click unsubscribe', () => {
  const links = new UnsubscribeLinks({
    secret: DEV_UNSUBSCRIBE_SECRET,
    url: 'https://journeys.shop.example/v1/unsubscribe',
    tokenTtlDays: 60,
  });
  const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

  it("happy path: the mail client POSTs the header's link (RFC 8058) and marketing stops, no login needed", async () => {
    const customerId = uniqueId('cus');
    await store.noteCheckoutConsent(customerId, 'ord-1', new Date(Date.now() - 86_400_000));
    const link = links.forCustomer(customerId);

    const { body } = await request(app)
      .post(pathOf(link.url))
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(body).toEqual({ unsubscribed: true, from: 'marketing' });
    const prefs = await store.get(customerId);
    expect(prefs).toMatchObject({ marketing: 'opted_out', channels: { email: true, sms: true } });
    expect(prefs.statements.marketing).toMatchObject({
      source: 'unsubscribe-link:email',
      reason: 'one-click unsubscribe',
    });
  });

  it('the footer link opens a page with one button; opening it changes nothing, the button does', async () => {
    const customerId = uniqueId('cus');
    const link = links.forCustomer(customerId);
    const page = await request(app).get(pathOf(link.url)).expect(200).expect('Content-Type', /html/);
    expect(page.text).toContain('<form method="post"');
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    expect((await store.get(customerId)).known).toBe(false);

    const action = /action="([^"]+)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
    const done = await request(app)
      .post(`/v1/unsubscribe${action}`)
      .set('Accept', 'text/html')
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(done.text).toContain('You are unsubscribed');
    expect((await store.get(customerId)).marketing).toBe('opted_out');
  });

  it('a tampered token → 400 and nothing changes (another customer in the payload, a changed signature)', async () => {
    const customerId = uniqueId('cus');
    const victim = uniqueId('cus');
    const token = new URL(links.forCustomer(customerId).url).searchParams.get('token')!;
    const [version, , signature] = token.split('.');
    const forged = `${version}.${Buffer.from(JSON.stringify({ c: victim, ch: 'email', exp: 4_000_000_000 })).toString('base64url')}.${signature}`;

    const refused = await request(app)
      .post(`/v1/unsubscribe?token=${encodeURIComponent(forged)}`)
      .expect(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_token', details: { problem: 'bad_signature' } });
    await request(app)
      .post(`/v1/unsubscribe?token=${encodeURIComponent(`${token.slice(0, -3)}xyz`)}`)
      .expect(400);
    await request(app)
      .get(`/v1/unsubscribe?token=${encodeURIComponent(forged)}`)
      .expect(400)
      .expect('Content-Type', /html/);
    expect((await store.get(victim)).known).toBe(false);
    expect((await store.get(customerId)).known).toBe(false);
  });

  it('an expired token → 400 and nothing changes; no token at all → 400', async () => {
    const customerId = uniqueId('cus');
    const expired = createUnsubscribeToken(DEV_UNSUBSCRIBE_SECRET, {
      customerId,
      channel: 'email',
      expiresAt: new Date(Date.now() - 1000),
    });
    const refused = await request(app)
      .post(`/v1/unsubscribe?token=${encodeURIComponent(expired)}`)
      .expect(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_token', details: { problem: 'expired' } });
    expect(refused.body.error.message).toMatch(/expired/);
    expect((await store.get(customerId)).known).toBe(false);
    const missing = await request(app).post('/v1/unsubscribe').expect(400);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: 'token' })]);
  });
});
