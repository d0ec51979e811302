/**
 * One JSON log line per answered request (pino-http), each with a request id: the caller's `X-Request-Id` when it is a
 * sensible token, otherwise a fresh UUID. The id is echoed in the `X-Request-Id` response header, is on every line the
 * request's `req.log` writes, and travels to Temporal as the journey's `requestId` memo when the request starts one.
 *
 * What is logged of a request: id, method, path (no query string, no headers, no body, no client address), status and
 * time taken; health probes and metrics scrapes are not logged. Whatever else a handler logs goes through the logger's
 * redaction (src/logger.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * Probes and scrapes arrive every few seconds: no line for them (they still get a request id and are counted in
 * metrics).
 */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Ids we take from callers: short tokens of letters, digits and `-_.:`, so nothing odd enters logs or Temporal. */
const ACCEPTABLE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers[REQUEST_ID_HEADER.toLowerCase()];
  const id = typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: requestId,
    autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]!) },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
