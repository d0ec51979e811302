/**
 * `Authorization: Bearer <key>`, with keys configured per role. No or unknown key → 401; a known key of another role →
 * 403.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Role } from '../config';
import { HttpError } from './errors';

/** Compares digests so the comparison takes the same time whatever the key's length or content. */
function sameKey(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function roleOf(keys: Record<Role, string[]>, presented: string): Role | undefined {
  return (Object.keys(keys) as Role[]).find((role) => keys[role].some((key) => sameKey(key, presented)));
}

export function requireRole(keys: Record<Role, string[]>, ...allowed: Role[]): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      res.set('WWW-Authenticate', 'Bearer');
      return next(new HttpError(401, 'unauthenticated', 'send an API key as "Authorization: Bearer <key>"'));
    }
    const role = roleOf(keys, match[1]!);
    if (!role) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      return next(new HttpError(401, 'unauthenticated', 'unknown API key'));
    }
    if (!allowed.includes(role)) {
      return next(
        new HttpError(
          403,
          'forbidden',
          `this route needs the ${allowed.join(' or ')} role; the key given has the ${role} role`,
        ),
      );
    }
    res.locals.role = role;
    next();
  };
}
