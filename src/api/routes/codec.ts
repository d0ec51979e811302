/**
 * The codec server the Temporal Web UI calls (`POST /codec/decode`, `/codec/encode`) so support staff see journeys'
 * encrypted inputs and results decoded — and only they: it needs a support API key, or a support person's OIDC access
 * token as the UI passes it (src/api/oidc.ts), or, on the dev stack only, the local UI's origin. Without one: 401, and
 * what is encrypted stays encrypted.
 */
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Payload } from '@temporalio/common';
import type { Config } from '../../config';
import { EncryptionCodec } from '../../temporal/encryption-codec';
import { requireRole, roleOf } from '../auth';
import { looksLikeJwt, SupportTokenVerifier } from '../oidc';
import { HttpError, parseOr400 } from '../errors';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
/** The JSON form of Temporal payloads the UI sends: metadata values and data in base64. */
export const payloadsBody = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() }))
    .max(1_000),
});
type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/** The UI calls from its own origin; preflights carry no credentials, so answer them before authorization. */
function cors(origins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && origins.includes(origin)) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'authorization, content-type, x-namespace',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    if (req.method === 'OPTIONS') {
      res.sendStatus(origin && origins.includes(origin) ? 204 : 403);
      return;
    }
    next();
  };
}

export function codecRouter(config: Config): Router {
  const router = Router();
  const codec = new EncryptionCodec(config.temporal.encryptionKeys);
  const supportOnly = requireRole(config.apiKeys, 'support');
  const tokens = config.codec.oidc && new SupportTokenVerifier(config.codec.oidc);
  const authorize: RequestHandler = (req, res, next) => {
    const fromLocalUi =
      config.codec.openInDev && !req.get('authorization') && config.codec.corsOrigins.includes(req.get('origin') ?? '');
    if (fromLocalUi) return next();
    // A support person signed in to the Temporal UI: their OIDC access token instead of an API key.
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    if (tokens && bearer && looksLikeJwt(bearer) && !roleOf(config.apiKeys, bearer)) {
      tokens.verify(bearer).then(
        (user) => {
          res.locals.role = 'support';
          res.locals.user = user.subject;
          next();
        },
        (err: unknown) => {
          const refused = err instanceof HttpError && err.status === 401;
          if (refused) res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
          next(err);
        },
      );
      return;
    }
    return supportOnly(req, res, next);
  };

  router.use('/codec', cors(config.codec.corsOrigins), express.json({ limit: '8mb' }));
  for (const direction of ['decode', 'encode'] as const) {
    router.post(`/codec/${direction}`, authorize, async (req, res) => {
      const { payloads } = parseOr400(payloadsBody, req.body, 'payloads');
      try {
        const result = await codec[direction](payloads.map(fromJson));
        res.json({ payloads: result.map(toJson) });
      } catch (err) {
        throw new HttpError(400, 'undecodable', `payloads could not be ${direction}d: ${(err as Error).message}`);
      }
    });
  }
  return router;
}
