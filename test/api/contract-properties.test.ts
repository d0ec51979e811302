/**
 * The contract against the server, both ways, on every operation of /openapi.json: requests generated from the
 * document's own schemas (test/api/contract-arbitraries.ts) — a request the contract calls valid is never refused as
 * invalid (nor answered 5xx), and a request it calls invalid always gets a 4xx (never 2xx, never 5xx).
 *
 * The app is the production build (`buildApi`) on the Temporal dev server with the journey's workers and PostgreSQL;
 * provider webhooks are configured, so their answers are about the request, not about missing secrets. Business
 * answers (404 unknown order, 409, 401 for a webhook signature the generator cannot make, 400 invalid_token for a
 * well-formed unsubscribe token that is not ours) are fine for valid requests; refusals by validation are not.
 * Deterministic: a fixed seed per operation.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { buildOpenApiDocument } from '../../src/api/openapi';
import { loadConfig } from '../../src/config';
import { productionPolicy } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { buildApi } from '../../src/server';
import { startApiWorld, TEST_KEYS, type ApiWorld } from '../helpers/api-world';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';
import { ContractArbitraries, type Schema, type Way } from './contract-arbitraries';

const SEED = 20261202;
/** Runs per operation for valid requests, and per way of breaking the contract for invalid ones. */
const RUNS = 20;
const RUNS_PER_WAY = 3;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof HTTP_METHODS)[number];

const PUBLIC_BASE_URL = 'https://journeys.test-shop.example';
const document = buildOpenApiDocument({ serverUrl: PUBLIC_BASE_URL }) as unknown as Schema;
const arbitraries = new ContractArbitraries(document);

interface Operation {
  key: string;
  method: Method;
  path: string;
  spec: Schema;
}
const OPERATIONS: Operation[] = Object.entries<Schema>(document.paths).flatMap(([path, item]) =>
  HTTP_METHODS.filter((m) => item[m]).map((method) => ({
    key: `${method.toUpperCase()} ${path}`,
    method,
    path,
    spec: item[method],
  })),
);

/** A request as the generator builds it: parameter values as the strings they travel as, and a body. */
interface GeneratedRequest {
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: { type: string; value: unknown };
}

type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema };
const LOCATION = { path: 'path', query: 'query', header: 'headers' } as const;

/** What a header can carry at all: visible ASCII, or nothing (HTTP trims surrounding spaces). */
const headerSafe = (v: string) => /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/.test(v);

/** The parameters as one object schema (`path`, `query`, `headers`), so the operation's x-rules apply to it. */
function requestSchema(operation: Operation): Schema {
  const params: Parameter[] = operation.spec.parameters ?? [];
  const group = (where: Parameter['in']) => ({
    type: 'object',
    properties: Object.fromEntries(params.filter((p) => p.in === where).map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.in === where && p.required).map((p) => p.name),
  });
  return {
    type: 'object',
    properties: {
      [LOCATION.path]: group('path'),
      [LOCATION.query]: group('query'),
      [LOCATION.header]: group('header'),
    },
    'x-rules': operation.spec['x-rules'] ?? [],
  };
}

function bodyMedia(operation: Operation): { type: string; schema: Schema; required: boolean } | undefined {
  const body = operation.spec.requestBody;
  if (!body) return undefined;
  const [type, media] = Object.entries<Schema>(body.content)[0]!;
  return { type, schema: media.schema ?? {}, required: !!body.required };
}

const asParameter = (v: unknown) => String(v);

function validParameters(group: Schema, header = false): fc.Arbitrary<Record<string, string>> {
  const entries = Object.entries<Schema>(group.properties).map(([name, schema]) => {
    let value = arbitraries.valid(schema).map(asParameter);
    if (header) value = value.filter(headerSafe);
    return [name, value] as const;
  });
  return fc.record(Object.fromEntries(entries), { requiredKeys: group.required });
}

function validRequest(operation: Operation): fc.Arbitrary<GeneratedRequest> {
  const shape = requestSchema(operation);
  const media = bodyMedia(operation);
  const body: fc.Arbitrary<GeneratedRequest['body']> = !media
    ? fc.constant(undefined)
    : media.required
      ? arbitraries.valid(media.schema).map((value) => ({ type: media.type, value }))
      : fc.option(
          arbitraries.valid(media.schema).map((value) => ({ type: media.type, value })),
          { nil: undefined },
        );
  const rules: fc.Arbitrary<(r: GeneratedRequest) => GeneratedRequest>[] = shape['x-rules'].map(
    (rule: Schema & { rule: string }) => arbitraries.ruleFixer(shape, rule),
  );
  const { path, query, headers } = shape.properties;
  return fc
    .record({
      path: validParameters(path),
      query: validParameters(query),
      headers: validParameters(headers, true),
      body,
    })
    .chain((req): fc.Arbitrary<GeneratedRequest> => {
      if (!rules.length) return fc.constant(req);
      return fc.tuple(...rules).map((fixes) => fixes.reduce((r: GeneratedRequest, fix) => fix(r), req));
    });
}

/**
 * Every way to make a valid request one the contract forbids: each parameter's rules, a missing required part, each
 * rule of the body, each operation-level rule.
 */
function invalidRequests(operation: Operation): Way<GeneratedRequest>[] {
  const shape = requestSchema(operation);
  const media = bodyMedia(operation);
  const valid = validRequest(operation);
  const ways: Way<GeneratedRequest>[] = [];
  for (const where of ['path', 'query', 'headers'] as const) {
    const group = shape.properties[where];
    for (const [name, schema] of Object.entries<Schema>(group.properties)) {
      for (const bad of arbitraries.invalidParameter(schema, `${where}.${name}`)) {
        const value = where === 'headers' ? bad.arbitrary.filter(headerSafe) : bad.arbitrary;
        ways.push({
          name: bad.name,
          arbitrary: fc.tuple(valid, value).map(([req, v]) => ({ ...req, [where]: { ...req[where], [name]: v } })),
        });
      }
      // A path without its parameter is another path; a missing query parameter or header is invalid when required.
      if (where !== 'path' && group.required.includes(name)) {
        const without = valid.map((req) => ({
          ...req,
          [where]: Object.fromEntries(Object.entries(req[where]).filter(([k]) => k !== name)),
        }));
        ways.push({ name: `${where}.${name} required`, arbitrary: without });
      }
    }
  }
  if (media?.required)
    ways.push({ name: 'body required', arbitrary: valid.map((req) => ({ ...req, body: undefined })) });
  // A form is always a set of string fields: only a set with a field missing, unknown or outside its enum breaks it.
  const isForm = media?.type === 'application/x-www-form-urlencoded';
  for (const bad of media ? arbitraries.invalid(media.schema, 'body') : []) {
    if (isForm && /\.\w+ type$|^body type$/.test(bad.name)) continue;
    const value = isForm ? bad.arbitrary.filter(isFormFields) : bad.arbitrary;
    ways.push({
      name: bad.name,
      arbitrary: fc.tuple(valid, value).map(([req, v]) => ({ ...req, body: { type: media!.type, value: v } })),
    });
  }
  for (const rule of shape['x-rules']) {
    const breaker = arbitraries.ruleBreaker(shape, rule);
    ways.push({
      name: `x-rules ${rule.rule} ${rule.path}`,
      arbitrary: fc.tuple(valid, breaker).map(([req, breakIt]) => breakIt(req)),
    });
  }
  return ways;
}

const isFormFields = (v: unknown) =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

// ---- Sending and judging

const KEYS: Record<string, string> = { checkout: TEST_KEYS.checkout, support: TEST_KEYS.support };
let world: ApiWorld;
let server: Server;
/** The API's own pool: the journeys' workers keep the world's busy. */
const apiPool = testPool();

function send(operation: Operation, req: GeneratedRequest) {
  let url = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(req.path[name] ?? ''));
  const query = new URLSearchParams(req.query).toString();
  if (query) url += `?${query}`;
  let call = request(server)[operation.method](url);
  const role = operation.spec['x-roles']?.[0];
  if (role) call = call.set('Authorization', KEYS[role]!);
  for (const [name, value] of Object.entries(req.headers)) call = call.set(name, value);
  if (!req.body) return call;
  if (req.body.type === 'application/json')
    return call.set('Content-Type', 'application/json').send(JSON.stringify(req.body.value));
  const form = new URLSearchParams(
    Object.entries(req.body.value as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]),
  );
  return call.set('Content-Type', req.body.type).send(form.toString());
}

/**
 * Refused because the server calls the request invalid — as opposed to a business answer about a valid request. Of
 * the 400s, only an unsubscribe token that is well formed but not ours, or expired (the contract's `x-signed`), and a
 * codec payload that does not decrypt are about something the contract cannot state.
 */
function refusedAsInvalid(res: request.Response): boolean {
  if (res.status !== 400 && res.status !== 422) return false;
  const error = res.body?.error;
  if (error?.code === 'invalid_token') return !['bad_signature', 'expired'].includes(error.details?.problem);
  if (error?.code === 'undecodable') return false;
  if (/html/.test(res.type)) return !/not one of ours|has expired/i.test(res.text);
  return true;
}

const summary = (req: GeneratedRequest, res: request.Response) => ({
  request: req,
  status: res.status,
  answer: res.body?.error ?? res.text?.slice(0, 300),
});

beforeAll(async () => {
  const taskQueue = uniqueId('contract');
  world = await startApiWorld(taskQueue, productionPolicy);
  const sendgridKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_KEYS_CHECKOUT: TEST_KEYS.checkout.slice('Bearer '.length),
    API_KEYS_SUPPORT: TEST_KEYS.support.slice('Bearer '.length),
    PUBLIC_BASE_URL,
    EASYPOST_API_KEY: 'EZTKcontract0123456789',
    EASYPOST_WEBHOOK_SECRET: 'contract-easypost-secret',
    AFTERSHIP_API_KEY: 'asat_contract',
    AFTERSHIP_WEBHOOK_SECRET: 'contract-aftership-secret',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'contract-twilio-token',
    TWILIO_FROM: '+14155550100',
    SENDGRID_API_KEY: 'SG.contract',
    SENDGRID_FROM: 'orders@test-shop.example',
    SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    RESEND_API_KEY: 're_contract',
    RESEND_FROM: 'orders@test-shop.example',
    RESEND_WEBHOOK_SECRET: `whsec_${Buffer.from('contract-resend-secret').toString('base64')}`,
    VONAGE_API_KEY: 'abcd1234',
    VONAGE_API_SECRET: 'contract-vonage-secret',
    VONAGE_FROM: '+14155550100',
    VONAGE_SIGNATURE_SECRET: 'contract-vonage-signature-secret',
  });
  const app = buildApi(config, apiPool, world.env.client, productionPolicy, createLogger({ level: 'silent' }));
  server = app.listen(0, '127.0.0.1');
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await world?.stop();
  await apiPool.end();
});

describe('the contract, from /openapi.json', () => {
  it('is the document the server serves', async () => {
    const served = await request(server).get('/openapi.json').expect(200);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(document)));
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(23);
  });

  it('states something a request can break on every operation that takes input', () => {
    // Operations without parameters or a body have nothing to break; every other one must have invalid requests.
    const nothingToBreak = OPERATIONS.filter((op) => !invalidRequests(op).length).map((op) => op.key);
    expect(nothingToBreak.sort()).toEqual(['GET /healthz', 'GET /metrics', 'GET /openapi.json', 'GET /readyz']);
  });
});

describe.each(OPERATIONS.map((op) => [op.key, op] as const))('%s', (_key, operation) => {
  it('never refuses as invalid a request the contract calls valid', async () => {
    await fc.assert(
      fc.asyncProperty(validRequest(operation), async (req) => {
        const res = await send(operation, req);
        const ok = !refusedAsInvalid(res) && res.status < 500;
        if (!ok)
          throw new Error(`valid by the contract, answered ${JSON.stringify(summary(req, res)).slice(0, 2_000)}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  const ways = invalidRequests(operation);
  if (!ways.length) return;
  it(`answers 4xx to every request the contract calls invalid (${ways.length} ways to break it)`, async () => {
    for (const { name, arbitrary } of ways) {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (req) => {
          const res = await send(operation, req);
          if (res.status < 400 || res.status >= 500) {
            throw new Error(
              `invalid by the contract (${name}), answered ${JSON.stringify(summary(req, res)).slice(0, 2_000)}`,
            );
          }
        }),
        { seed: SEED, numRuns: RUNS_PER_WAY, endOnFailure: true },
      );
    }
  });
});
