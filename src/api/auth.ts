/**
 * `Authorization: Bearer <key>`, with keys configured per role. No or unknown key → 401; a known key of another role →
 * 403.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Role } from '../config';
import { HttpError } from './errors';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The configured keys' digests, computed once per key set (config is read once at start). A presented key is digested
 * once and compared with each: digests have one length, so the comparison takes the same time whatever the key's
 * length or content.
 */
const digestsByKeys = new WeakMap<Record<Role, string[]>, [Role, Buffer][]>();

function keyDigests(keys: Record<Role, string[]>): [Role, Buffer][] {
  let digests = digestsByKeys.get(keys);
  if (!digests) {
    digests = (Object.keys(keys) as Role[]).flatMap((role) =>
      keys[role].map((key) => [role, digest(key)] as [Role, Buffer]),
    );
    digestsByKeys.set(keys, digests);
  }
  return digests;
}

export function roleOf(keys: Record<Role, string[]>, presented: string): Role | undefined {
  const presentedDigest = digest(presented);
  return keyDigests(keys).find(([, known]) => timingSafeEqual(known, presentedDigest))?.[0];
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
