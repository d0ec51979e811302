/**
 * The codec server the Temporal UI calls: support staff get decoded payloads; nobody else does.
 */
import request from 'supertest';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import type { Express } from 'express';
import { loadConfig } from '../../src/config';
import { buildApi } from '../../src/server';
import { createLogger } from '../../src/logger';
import { productionPolicy } from '../../src/domain/policy';
import { Client, Connection } from '@temporalio/client';
import { testPool } from '../helpers/database';
import { TEST_DATA_CONVERTER } from '../helpers/temporal';

const pool = testPool();
const converter = new DefaultPayloadConverter();
const UI = 'http://localhost:8233';
const json = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data!).toString('base64'),
});

function appWith(env: Record<string, string> = {}): Express {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: process.env.TEST_DATABASE_URL!, ...env });
  // The codec routes never reach Temporal; a lazily connecting client that is never used stands in for the journeys.
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  return buildApi(config, pool, client, productionPolicy, createLogger({ level: 'silent' }));
}

afterAll(() => pool.end());

async function encryptedOrder() {
  const [sealed] = await TEST_DATA_CONVERTER.payloadCodecs![0]!.encode([
    converter.toPayload({ email: 'anna@example.com' }),
  ]);
  return sealed!;
}

describe('the codec server', () => {
  it('decodes for support staff', async () => {
    const res = await request(appWith())
      .post('/codec/decode')
      .set('Authorization', 'Bearer dev-support-key')
      .send({ payloads: [json(await encryptedOrder())] })
      .expect(200);
    const [decoded] = res.body.payloads;
    expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString('utf8'))).toEqual({ email: 'anna@example.com' });
  });

  it('encodes what it decodes back into an encrypted payload', async () => {
    const plain = json(converter.toPayload({ hello: 'world' }));
    const enc = await request(appWith())
      .post('/codec/encode')
      .set('Authorization', 'Bearer dev-support-key')
      .send({ payloads: [plain] })
      .expect(200);
    expect(Buffer.from(enc.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const dec = await request(appWith())
      .post('/codec/decode')
      .set('Authorization', 'Bearer dev-support-key')
      .send(enc.body)
      .expect(200);
    expect(dec.body.payloads).toEqual([plain]);
  });

  it('refuses anyone without the support role: 401 without a key, 403 with the checkout key', async () => {
    const body = { payloads: [json(await encryptedOrder())] };
    const none = await request(appWith()).post('/codec/decode').set('Origin', UI).send(body).expect(401);
    expect(none.body.error.code).toBe('unauthenticated');
    await request(appWith())
      .post('/codec/decode')
      .set('Authorization', 'Bearer dev-checkout-key')
      .send(body)
      .expect(403);
  });

  it("answers the UI's CORS preflight for its origin only", async () => {
    const ok = await request(appWith())
      .options('/codec/decode')
      .set('Origin', UI)
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
    expect(ok.headers['access-control-allow-headers']).toContain('x-namespace');
    await request(appWith()).options('/codec/decode').set('Origin', 'https://evil.example').expect(403);
  });

  it('on the dev stack only, lets the local UI decode without a key', async () => {
    const body = { payloads: [json(await encryptedOrder())] };
    await request(appWith({ CODEC_OPEN_IN_DEV: 'true' }))
      .post('/codec/decode')
      .set('Origin', UI)
      .send(body)
      .expect(200);
    await request(appWith({ CODEC_OPEN_IN_DEV: 'true' }))
      .post('/codec/decode')
      .set('Origin', 'https://evil.example')
      .send(body)
      .expect(401);
  });

  it('says what is wrong with a malformed request or a payload of an unknown key', async () => {
    const bad = await request(appWith())
      .post('/codec/decode')
      .set('Authorization', 'Bearer dev-support-key')
      .send({ payloads: [{ data: '%%%' }] })
      .expect(400);
    expect(bad.body.error.details[0].path).toBe('payloads.0.data');
    const foreign = {
      metadata: {
        encoding: Buffer.from('binary/encrypted').toString('base64'),
        'encryption-key-id': Buffer.from('other').toString('base64'),
      },
      data: 'AAAA',
    };
    const unknown = await request(appWith())
      .post('/codec/decode')
      .set('Authorization', 'Bearer dev-support-key')
      .send({ payloads: [foreign] })
      .expect(400);
    expect(unknown.body.error.message).toContain('"other"');
  });
});
