/**
 * Support staff signed in to the Temporal UI read journeys: the UI passes their OIDC access token to the codec server,
 * which decodes for a valid token with the support role and refuses every other. The identity provider is played by a
 * key pair made here and its JWKS served from a local HTTP server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { productionPolicy } from '../../src/domain/policy';
import { buildApi } from '../../src/server';
import { testPool } from '../helpers/database';
import { TEST_DATA_CONVERTER } from '../helpers/temporal';

const ISSUER = 'https://login.shop.example/realms/staff';
const AUDIENCE = 'order-journeys-codec';
const pool = testPool();
const converter = new DefaultPayloadConverter();

let idpKey: CryptoKey;
let strangerKey: CryptoKey;
let jwks: Server;
let jwksUrl: string;
let jwksFetches = 0;

beforeAll(async () => {
  const idp = await generateKeyPair('RS256');
  idpKey = idp.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const published = { keys: [{ ...(await exportJWK(idp.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }] };
  jwks = createServer((req, res) => {
    jwksFetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(published));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/protocol/openid-connect/certs`;
});

afterAll(async () => {
  await new Promise((resolve) => jwks.close(resolve));
  await pool.end();
});

function appWith(env: Record<string, string> = {}): Express {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL!,
    CODEC_OIDC_ISSUER: ISSUER,
    CODEC_OIDC_AUDIENCE: AUDIENCE,
    CODEC_OIDC_JWKS_URL: jwksUrl,
    CODEC_OIDC_ROLE_CLAIM: 'realm_access.roles',
    CODEC_OIDC_SUPPORT_ROLE: 'support',
    ...env,
  });
  // The codec routes never reach Temporal; a lazily connecting client that is never used stands in for the journeys.
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  return buildApi(config, pool, client, productionPolicy, createLogger({ level: 'silent' }));
}

/** An access token as the identity provider would issue it to a signed-in support person, changed by `overrides`. */
function accessToken(overrides: { claims?: JWTPayload; expiresIn?: string; key?: CryptoKey; kid?: string } = {}) {
  const claims = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'maija@shop.example',
    iat: Math.floor(Date.now() / 1000) - 3600,
    realm_access: { roles: ['support', 'offline_access'] },
    ...overrides.claims,
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: overrides.kid ?? 'idp-1', typ: 'JWT' })
    .setExpirationTime(overrides.expiresIn ?? '5m')
    .sign(overrides.key ?? idpKey);
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const json = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data!).toString('base64'),
});

async function encryptedBody() {
  const [sealed] = await TEST_DATA_CONVERTER.payloadCodecs![0]!.encode([
    converter.toPayload({ email: 'anna@example.com' }),
  ]);
  return { payloads: [json(sealed!)] };
}

const decode = async (app: Express, token: string) =>
  request(app)
    .post('/codec/decode')
    .set('Origin', 'http://localhost:8233')
    .set('Authorization', `Bearer ${token}`)
    .send(await encryptedBody());

describe("the codec server with the Temporal UI's OIDC access tokens", () => {
  it("decodes for a support person's valid token, fetching the signing keys once for many calls", async () => {
    const app = appWith();
    const before = jwksFetches;
    for (let i = 0; i < 3; i++) {
      const res = await decode(app, await accessToken());
      expect(res.status).toBe(200);
      expect(JSON.parse(Buffer.from(res.body.payloads[0].data, 'base64').toString('utf8'))).toEqual({
        email: 'anna@example.com',
      });
    }
    expect(jwksFetches - before).toBe(1);
  });

  it.each([
    ['an expired token', () => accessToken({ expiresIn: '-10m' }), /expired/],
    [
      'a token from another issuer',
      () => accessToken({ claims: { iss: 'https://login.elsewhere.example' } }),
      /iss claim/,
    ],
    ['a token for another audience', () => accessToken({ claims: { aud: 'temporal-ui' } }), /aud claim/],
    [
      'a token signed with a key the identity provider never published',
      () => accessToken({ key: strangerKey }),
      /not valid/,
    ],
    ['a token naming an unknown key', () => accessToken({ key: strangerKey, kid: 'idp-2' }), /not valid/],
    [
      'an unsigned token (alg "none")',
      async () => `${b64url({ alg: 'none', typ: 'JWT' })}.${(await accessToken()).split('.')[1]}.`,
      /not valid/,
    ],
    ['a token whose signature was altered', async () => `${(await accessToken()).slice(0, -6)}AAAAAA`, /not valid/],
  ])('refuses %s with 401 unauthenticated', async (_what, token, reason) => {
    const res = await decode(appWith(), await token());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { code: 'unauthenticated', message: expect.stringMatching(reason), details: null },
    });
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(res.body.payloads).toBeUndefined();
  });

  it('refuses a valid token of someone without the support role with 403 forbidden', async () => {
    const res = await decode(appWith(), await accessToken({ claims: { realm_access: { roles: ['warehouse'] } } }));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('"realm_access.roles"'),
    });
  });

  it('reads the role from a plain claim too (groups, roles), as an array or a space-separated string', async () => {
    const app = appWith({ CODEC_OIDC_ROLE_CLAIM: 'groups', CODEC_OIDC_SUPPORT_ROLE: 'journeys-support' });
    expect((await decode(app, await accessToken({ claims: { groups: ['staff', 'journeys-support'] } }))).status).toBe(
      200,
    );
    expect((await decode(app, await accessToken({ claims: { groups: 'staff journeys-support' } }))).status).toBe(200);
    expect((await decode(app, await accessToken({ claims: { groups: ['staff'] } }))).status).toBe(403);
  });

  it("still takes support API keys, and refuses checkout's", async () => {
    const app = appWith();
    expect((await decode(app, 'dev-support-key')).status).toBe(200);
    expect((await decode(app, 'dev-checkout-key')).status).toBe(403);
  });

  it("answers 503 when the identity provider's keys cannot be fetched (the token is not judged wrong)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const res = await decode(appWith({ CODEC_OIDC_JWKS_URL: `http://127.0.0.1:${port}/certs` }), await accessToken());
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('identity_provider_unavailable');
    expect(res.headers['retry-after']).toBe('30');
  });

  it('without CODEC_OIDC_* set, a token is just an unknown key', async () => {
    const app = appWith({ CODEC_OIDC_ISSUER: '', CODEC_OIDC_AUDIENCE: '', CODEC_OIDC_JWKS_URL: '' });
    const res = await decode(app, await accessToken());
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('unknown API key');
  });

  it('refuses at start-up an OIDC setting with a part missing, naming it', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://x@y/z', CODEC_OIDC_ISSUER: ISSUER })).toThrow(
      /CODEC_OIDC_AUDIENCE[\s\S]*CODEC_OIDC_JWKS_URL|CODEC_OIDC_JWKS_URL[\s\S]*CODEC_OIDC_AUDIENCE/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://x@y/z',
        CODEC_OIDC_ISSUER: ISSUER,
        CODEC_OIDC_AUDIENCE: AUDIENCE,
        CODEC_OIDC_JWKS_URL: 'http://login.shop.example/certs',
      }),
    ).toThrow(/CODEC_OIDC_JWKS_URL must be https/);
  });
});
