/**
 * The OpenAPI document against the app it describes: every route the express app really mounts (read from its router,
 * so routes added later by anyone are caught) must be in the document with its method, and the document must describe
 * no route that is not there. Roles in the document must be the roles the routes enforce. No Temporal needed: nothing
 * here gets past authentication or reaches a journey.
 */
import request from 'supertest';
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import { buildOpenApiDocument, type OpenApiDocument } from '../../src/api/openapi';
import { listRoutes, toOpenApiPath } from '../../src/api/route-inventory';
import { loadConfig } from '../../src/config';
import { productionPolicy } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { buildApi } from '../../src/server';
import { testPool } from '../helpers/database';

/** Mounted on purpose without a place in the contract: the dev stack's HTML outbox and the docs page itself. */
const NOT_IN_CONTRACT = new Set(['GET /outbox', 'GET /docs', 'GET /docs/init.js']);
/** CORS preflights and HEAD are answered by middleware for every route; they are no API surface of their own. */
const IMPLICIT_METHODS = new Set(['options', 'head']);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const KEYS = { checkout: 'doc-checkout-key', support: 'doc-support-key' } as const;
const pool = testPool();
let app: Express;
let document: OpenApiDocument;

beforeAll(() => {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    API_KEYS_CHECKOUT: KEYS.checkout,
    API_KEYS_SUPPORT: KEYS.support,
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
  document = buildOpenApiDocument();
});

afterAll(() => pool.end());

const operationKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

function mountedOperations(of: Express): string[] {
  return listRoutes(of)
    .filter((r) => !IMPLICIT_METHODS.has(r.method))
    .map((r) => operationKey(r.method, toOpenApiPath(r.path)))
    .filter((key) => !NOT_IN_CONTRACT.has(key));
}

function documentedOperations(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => (item as Record<string, unknown>)[m]).map((m) => operationKey(m, path)),
  );
}

type Operation = {
  security?: Record<string, string[]>[];
  'x-roles'?: string[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
function operations(doc: OpenApiDocument): [string, Operation][] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => (item as Record<string, unknown>)[m]).map(
      (m) => [operationKey(m, path), (item as Record<string, Operation>)[m]!] as [string, Operation],
    ),
  );
}

describe('the OpenAPI document', () => {
  it('describes every route the app mounts, and no route it does not', () => {
    const mounted = mountedOperations(app);
    // The inventory must see the app's routes at all: an empty walk would make this test pass for nothing.
    expect(mounted).toEqual(
      expect.arrayContaining([
        'POST /v1/orders',
        'GET /v1/orders/{orderId}/journey',
        'POST /v1/webhooks/twilio/status',
        'POST /codec/decode',
        'GET /metrics',
      ]),
    );
    const documented = documentedOperations(document);
    expect({ undocumented: mounted.filter((op) => !documented.includes(op)) }).toEqual({ undocumented: [] });
    expect({ documentedButNotMounted: documented.filter((op) => !mounted.includes(op)) }).toEqual({
      documentedButNotMounted: [],
    });
  });

  it('notices a route added without documenting it', () => {
    const extra = buildApi(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: process.env.TEST_DATABASE_URL }),
      pool,
      {} as Client,
      productionPolicy,
      createLogger({ level: 'silent' }),
    );
    extra.delete('/v1/customers/:customerId/preferences', (_req, res) => {
      res.json({});
    });
    const documented = documentedOperations(document);
    expect(mountedOperations(extra).filter((op) => !documented.includes(op))).toEqual([
      'DELETE /v1/customers/{customerId}/preferences',
    ]);
  });

  it('is OpenAPI 3.1 with every error in the one error shape, and a 500 on every operation', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const [key, operation] of operations(document)) {
      expect({ key, has500: '500' in operation.responses }).toEqual({ key, has500: true });
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || `${key} ${status}` === 'GET /readyz 503') continue; // not ready: the readiness report itself
        // Pages for people (the unsubscribe link) answer errors as HTML; what answers JSON uses the one error shape.
        if (!response.content?.['application/json'] && response.content?.['text/html']) continue;
        expect({ key, status, schema: response.content?.['application/json']?.schema }).toEqual({
          key,
          status,
          schema: { $ref: '#/components/schemas/ApiError' },
        });
      }
    }
    // Every $ref points at a component that exists.
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.filter((name) => !(name in (document.components?.schemas ?? {})))).toEqual([]);
  });

  it("documents the Idempotency-Key of support's actions, and their 409 and 503 codes", () => {
    for (const path of ['/v1/orders/{orderId}/returns', '/v1/orders/{orderId}/cancel']) {
      const operation = (
        document.paths?.[path] as Record<
          string,
          {
            parameters?: { in: string; name: string; required?: boolean; schema?: { pattern?: string } }[];
            responses: Record<string, { description: string; headers?: object }>;
          }
        >
      ).post!;
      const header = operation.parameters?.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
      expect({ path, header }).toEqual({
        path,
        header: expect.objectContaining({ schema: expect.objectContaining({ pattern: expect.any(String) }) }),
      });
      expect(header?.required).toBeFalsy();
      expect(operation.responses['409']!.description).toContain('idempotency_key_reused');
      expect(operation.responses['503']!.description).toContain('journey_unavailable');
      expect(operation.responses['503']!.headers).toHaveProperty('Retry-After');
    }
  });

  it('documents a 503 with Retry-After on every route that needs Temporal or PostgreSQL', () => {
    const needsDependencies = [
      'POST /v1/orders',
      'GET /v1/orders/{orderId}/journey',
      'POST /v1/orders/{orderId}/shipments',
      'POST /v1/orders/{orderId}/tracking-events',
      'POST /v1/orders/{orderId}/reviews',
      'GET /v1/outbox',
      'GET /v1/customers/{customerId}/preferences',
      'PUT /v1/customers/{customerId}/preferences',
      'POST /v1/unsubscribe',
      'POST /v1/webhooks/twilio/status',
      'POST /v1/webhooks/sendgrid/events',
    ];
    const byKey = new Map(operations(document));
    for (const key of needsDependencies) {
      const unavailable = byKey.get(key)?.responses['503'] as { description?: string; headers?: object } | undefined;
      expect({ key, retryAfter: unavailable?.headers && 'Retry-After' in unavailable.headers }).toEqual({
        key,
        retryAfter: true,
      });
      expect(unavailable?.description).toMatch(/journey_unavailable|database_unavailable/);
    }
  });

  it("names the roles each route enforces: without a key 401, with another role's key 403", async () => {
    const samplePath = (path: string) => path.replace(/\{[^}]+\}/g, 'doc-check-1');
    let checked = 0;
    for (const [key, operation] of operations(document)) {
      const roles = operation['x-roles'] ?? [];
      const [method, path] = key.split(' ') as [string, string];
      const call = () => request(app)[method.toLowerCase() as 'get' | 'post'](samplePath(path));
      if (!roles.length) {
        expect({ key, security: operation.security }).toEqual({ key, security: [] });
        continue;
      }
      expect({ key, security: operation.security }).toEqual({
        key,
        security: roles.map((role) => ({ [`${role}Key`]: [] })),
      });
      const anonymous = await call().send({});
      expect({ key, status: anonymous.status }).toEqual({ key, status: 401 });
      for (const other of (Object.keys(KEYS) as (keyof typeof KEYS)[]).filter((r) => !roles.includes(r))) {
        const wrongRole = await call().set('Authorization', `Bearer ${KEYS[other]}`).send({});
        expect({ key, role: other, status: wrongRole.status }).toEqual({ key, role: other, status: 403 });
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe('methods a known path does not serve', () => {
  it('answer 405 with Allow listing the methods the document gives the path, in the one error shape', async () => {
    const samplePath = (path: string) => path.replace(/\{[^}]+\}/g, 'doc-check-1');
    let checked = 0;
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      const documented = HTTP_METHODS.filter((m) => (item as Record<string, unknown>)[m]);
      const expected = [
        ...documented.map((m) => m.toUpperCase()),
        ...(documented.includes('get') ? ['HEAD'] : []),
      ].sort();
      for (const method of HTTP_METHODS.filter((m) => !documented.includes(m))) {
        const res = await request(app)[method](samplePath(path)).set('Authorization', `Bearer ${KEYS.support}`);
        const allow = String(res.headers.allow ?? '')
          .split(/,\s*/)
          .filter(Boolean)
          .sort();
        expect({ method, path, status: res.status, allow }).toEqual({ method, path, status: 405, allow: expected });
        expect(res.body).toEqual({
          error: { code: 'method_not_allowed', message: expect.any(String), details: { allowed: expect.any(Array) } },
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50); // 22 paths × the methods each lacks
  });

  it('still answer 404 on a path no route serves, whatever the method', async () => {
    for (const method of ['get', 'post', 'delete'] as const) {
      const res = await request(app)[method]('/v1/no-such-thing');
      expect({ method, status: res.status, allow: res.headers.allow }).toEqual({
        method,
        status: 404,
        allow: undefined,
      });
      expect(res.body.error.code).toBe('not_found');
    }
  });
});

describe('GET /openapi.json and GET /docs', () => {
  it('serves the document', async () => {
    const res = await request(app)
      .get('/openapi.json')
      .expect(200)
      .expect('content-type', /application\/json/);
    expect(documentedOperations(res.body)).toEqual(documentedOperations(document));
    expect(res.body.servers).toEqual([{ url: 'http://localhost:3000' }]);
  });

  it('serves a docs page whose scripts and styles all come from this server', async () => {
    const page = await request(app)
      .get('/docs')
      .expect(200)
      .expect('content-type', /text\/html/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    expect(assets.filter((url) => !url.startsWith('/'))).toEqual([]);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    for (const asset of assets) await request(app).get(asset).expect(200);
    const init = await request(app)
      .get('/docs/init.js')
      .expect(200)
      .expect('content-type', /javascript/);
    expect(init.text).toContain("url: '/openapi.json'");
  });
});
