/**
 * Every error the API returns has the same JSON shape: `{ error: { code, message, details } }`.
 * Client mistakes are 4xx with what is wrong; only our own failures are 5xx, and they never echo internals.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { z } from 'zod';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-faults';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** For 503: sent as Retry-After, how many seconds to wait before trying again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The request's id (X-Request-Id), set by the request logging (src/observability/request-logging.ts). */
export function requestIdOf(req: Request): string | undefined {
  return req.id;
}

/** What body-parser's errors carry besides a message. */
interface ParserError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
}

/** Field-by-field reasons, e.g. `[{ path: "items.0.quantity", message: "Too small: expected number to be >0" }]`. */
export function validationDetails(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

/** Parses `value` with `schema`, or answers 400 naming each failing field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = validationDetails(parsed.error);
  const first = details[0]!;
  throw new HttpError(400, 'invalid_request', `invalid ${what}: ${first.path} ${first.message}`, details);
}

/**
 * A known path asked with a method it does not serve: 405 with `Allow` listing the methods it does (RFC 9110 §15.5.6),
 * rather than a 404 that suggests the path is wrong. `allowedOn` lists a path's methods, empty for an unknown path.
 */
export function methodNotAllowed(allowedOn: (path: string) => string[]): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedOn(req.path);
    if (!allowed.length) return next();
    res.set('Allow', allowed.join(', '));
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not supported on ${req.path}`, { allowed }));
  };
}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

/**
 * `translate`: turns known errors of the layers below (e.g. the journey service's) into HttpErrors, for routes that
 * let them through (webhooks). 5xx answers carry the request id in `details.requestId` and are logged.
 */
export function errorHandler(
  log: (err: unknown) => void,
  translate: (err: unknown) => unknown = (e) => e,
): ErrorRequestHandler {
  return (err, req, res, _next) => {
    err = translate(err);
    if (isDatabaseUnavailable(err)) {
      err = new HttpError(
        503,
        'database_unavailable',
        'the database does not answer; try again shortly',
        null,
        DATABASE_RETRY_AFTER_SECONDS,
      );
    }
    if (err instanceof HttpError) {
      if (err.retryAfterSeconds !== undefined) res.set('Retry-After', String(err.retryAfterSeconds));
      let details = err.details ?? null;
      if (err.status === 500) {
        log(err);
        details = { ...(details && typeof details === 'object' ? details : {}), requestId: requestIdOf(req) };
      }
      res.status(err.status).json({ error: { code: err.code, message: err.message, details } });
      return;
    }
    // body-parser's errors: malformed JSON, too large, wrong charset. They carry a 4xx status and an `expose` flag.
    const parser = (err && typeof err === 'object' ? err : {}) as ParserError;
    const status =
      typeof parser.status === 'number'
        ? parser.status
        : typeof parser.statusCode === 'number'
          ? parser.statusCode
          : 500;
    if (status >= 400 && status < 500) {
      const code =
        parser.type === 'entity.parse.failed'
          ? 'malformed_json'
          : parser.type === 'entity.too.large'
            ? 'payload_too_large'
            : 'bad_request';
      const message = parser.expose && typeof parser.message === 'string' ? parser.message : 'bad request';
      res.status(status).json({ error: { code, message, details: null } });
      return;
    }
    log(err);
    // The request id finds the log line: what support quotes when they report it.
    res.status(500).json({
      error: {
        code: 'internal',
        message: 'internal error; it has been logged',
        details: { requestId: requestIdOf(req) },
      },
    });
  };
}
