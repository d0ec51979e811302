/**
 * One JSON log line per answered request, each with a request id: the caller's `X-Request-Id` when it is a sensible
 * token, otherwise a fresh UUID. The id is echoed in the `X-Request-Id` response header, is the line's `req.id`, and
 * travels to Temporal as the journey's `requestId` memo when the request starts one.
 *
 * What is logged of a request: id, method, path (no query string, no headers, no body, no client address), status and
 * time taken; health probes and metrics scrapes are not logged. Whatever else a handler logs goes through the logger's
 * redaction (src/logger.ts).
 *
 * Written here rather than with pino-http, which made two child loggers per request (serialising the request into
 * their bindings) for handlers that never log through them: on the same express app and load, pino-http added about
 * 100 µs of CPU per request, this about 50 (docs/bench-history.md, 2026-12-04 evening).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

declare module 'http' {
  interface IncomingMessage {
    /** The request's id (X-Request-Id), set by requestLogging before any route runs. */
    id?: string;
  }
}

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
  return (req, res, next) => {
    const id = requestId(req, res);
    req.id = id;
    const path = (req.url ?? '').split('?')[0]!; // now, before mounted routers rewrite req.url
    if (QUIET_PATHS.has(path)) return next();
    const started = Date.now();
    const logLine = () => {
      res.off('finish', logLine);
      res.off('close', logLine);
      const fields = {
        req: { id, method: req.method, path },
        res: { statusCode: res.statusCode },
        responseTime: Date.now() - started,
      };
      if (!res.writableFinished) logger.warn(fields, 'request closed before its answer was sent');
      else if (res.statusCode >= 500) logger.error(fields, 'request errored');
      else logger.info(fields, 'request completed');
    };
    res.on('finish', logLine);
    res.on('close', logLine);
    next();
  };
}
