/**
 * Support reviews copy without placing an order: every message type, in every locale, by email or SMS, with sample
 * data. The app is the real one (buildApi); Temporal is never asked, so its client is never connected.
 */
import { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { productionPolicy } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { buildApi } from '../../src/server';
import { LOCALES, MESSAGE_TYPES } from '../../src/templates';
import { testPool } from '../helpers/database';

const SUPPORT = 'Bearer test-support-key';
const CHECKOUT = 'Bearer test-checkout-key';
const pool = testPool();
const client = new Client(); // lazy: connects on first use, and the preview never uses it
let app: Express;

beforeAll(() => {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    API_KEYS_CHECKOUT: 'test-checkout-key',
    API_KEYS_SUPPORT: 'test-support-key',
    SHOP_NAME: 'Test Shop',
    SUPPORT_EMAIL: 'help@test-shop.example',
    SHOP_POSTAL_ADDRESS: 'Test Shop SIA, Brīvības iela 1, Rīga, LV-1010, Latvia',
    PUBLIC_BASE_URL: 'https://journeys.test-shop.example',
  });
  app = buildApi(config, pool, client, productionPolicy, createLogger({ level: 'silent' }));
});

afterAll(async () => {
  await pool.end();
});

const preview = (type: string, query: Record<string, string> = {}) =>
  request(app).get(`/v1/templates/${type}/preview`).query(query).set('Authorization', SUPPORT);

describe('GET /v1/templates/:type/preview', () => {
  it('shows an email: subject, responsive HTML and plain text, in the language asked for', async () => {
    const res = await preview('shipped', { locale: 'lv', channel: 'email' }).expect(200);
    expect(res.body).toEqual({
      locale: 'lv',
      subject: 'Jūsu pasūtījums A-100234 ir ceļā',
      html: expect.any(String),
      text: expect.any(String),
    });
    expect(res.body.html).toMatch(/^<!doctype html>/i);
    expect(res.body.html).toContain('<html lang="lv" dir="ltr"');
    expect(res.body.text).toContain('help@test-shop.example');
  });

  it('shows a marketing email with the postal address and the unsubscribe link from config', async () => {
    const res = await preview('review_request', { locale: 'en' }).expect(200);
    expect(res.body.text).toContain('Test Shop SIA, Brīvības iela 1, Rīga, LV-1010, Latvia');
    expect(res.body.html).toContain('href="https://journeys.test-shop.example/v1/unsubscribe"');
  });

  it('shows the email itself as a page for a browser', async () => {
    const res = await preview('confirmation', { locale: 'ar', format: 'html' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.text).toContain('<html lang="ar" dir="rtl"');
  });

  it('shows an SMS with its segments and encoding', async () => {
    const en = await preview('delivery_problem', { locale: 'en', channel: 'sms' }).expect(200);
    expect(en.body).toEqual({
      locale: 'en',
      text: expect.stringContaining('delivery problem'),
      segments: expect.any(Number),
      encoding: 'GSM-7',
    });
    const bg = await preview('delivery_problem', { locale: 'bg', channel: 'sms' }).expect(200);
    expect(bg.body).toMatchObject({ locale: 'bg', encoding: 'UCS-2' });
    expect(bg.body.segments).toBeLessThanOrEqual(2);
  });

  it('previews every message type in every locale on both channels', async () => {
    for (const type of MESSAGE_TYPES) {
      for (const locale of LOCALES) {
        const email = await preview(type, { locale, channel: 'email' }).expect(200);
        expect(email.body.subject).toBeTruthy();
        const sms = await preview(type, { locale, channel: 'sms' }).expect(200);
        expect(sms.body.segments).toBeGreaterThanOrEqual(1);
        expect(sms.body.segments).toBeLessThanOrEqual(2);
      }
    }
  });

  it('falls back to English for a language it has not got, and to the language of a regional tag', async () => {
    expect((await preview('cancellation', { locale: 'xx' }).expect(200)).body.locale).toBe('en');
    expect((await preview('cancellation', { locale: 'lv-LV' }).expect(200)).body.locale).toBe('lv');
    expect((await preview('cancellation').expect(200)).body.locale).toBe('en'); // defaults: en, email
  });

  it('answers 404 for a message type that does not exist', async () => {
    const res = await preview('birthday_wishes', { locale: 'en' }).expect(404);
    expect(res.body.error).toMatchObject({ code: 'template_not_found', details: { messageTypes: MESSAGE_TYPES } });
  });

  it('answers 400 naming the field for a bad channel, locale or format', async () => {
    const channel = await preview('shipped', { channel: 'fax' }).expect(400);
    expect(channel.body.error).toMatchObject({
      code: 'invalid_request',
      details: [expect.objectContaining({ path: 'channel' })],
    });
    expect(channel.body.error.message).toContain('channel');
    const locale = await preview('shipped', { locale: 'not a locale!' }).expect(400);
    expect(locale.body.error.details).toEqual([expect.objectContaining({ path: 'locale' })]);
    const format = await preview('shipped', { channel: 'sms', format: 'html' }).expect(400);
    expect(format.body.error.details).toEqual([expect.objectContaining({ path: 'format' })]);
  });

  it('needs an API key (401) of the support role (403)', async () => {
    await request(app).get('/v1/templates/shipped/preview').expect(401);
    await request(app).get('/v1/templates/shipped/preview').set('Authorization', 'Bearer nope').expect(401);
    const wrongRole = await request(app)
      .get('/v1/templates/shipped/preview')
      .set('Authorization', CHECKOUT)
      .expect(403);
    expect(wrongRole.body.error.code).toBe('forbidden');
  });
});
