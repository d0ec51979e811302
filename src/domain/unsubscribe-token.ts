/**
 * One-click unsubscribe links (RFC 8058) that need no login: the link carries a signed, expiring token naming the
 * customer, so only we can make one and nobody can unsubscribe someone else by editing it.
 *
 * Token: `v1.<payload>.<signature>`, both base64url; payload = JSON `{ c: customerId, ch: channel, exp: unix seconds
 * }`; signature = HMAC-SHA256 over `v1.<payload>` with UNSUBSCRIBE_SECRET. Verified in constant time; a token that does
 * not verify, or has expired, changes nothing. Not for workflow code (node:crypto).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from './order';

const VERSION = 'v1';
export const DEFAULT_TOKEN_TTL_DAYS = 60;

export interface UnsubscribeClaim {
  customerId: string;
  /** The channel the link was sent on (an email's link unsubscribes from marketing; see the unsubscribe route). */
  channel: Channel;
  /** When the link stops working. */
  expiresAt: Date;
}

export type TokenProblem = 'malformed' | 'bad_signature' | 'expired';

export type TokenCheck = { ok: true; claim: UnsubscribeClaim } | { ok: false; problem: TokenProblem };

function sign(secret: string, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed).digest();
}

export function createUnsubscribeToken(secret: string, claim: UnsubscribeClaim): string {
  const payload = Buffer.from(
    JSON.stringify({ c: claim.customerId, ch: claim.channel, exp: Math.floor(claim.expiresAt.getTime() / 1000) }),
  ).toString('base64url');
  const signed = `${VERSION}.${payload}`;
  return `${signed}.${sign(secret, signed).toString('base64url')}`;
}

export function verifyUnsubscribeToken(secret: string, token: string, now: Date = new Date()): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2]) return { ok: false, problem: 'malformed' };
  const expected = sign(secret, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'bad_signature' };
  let payload: { c?: unknown; ch?: unknown; exp?: unknown };
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as typeof payload;
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (
    typeof payload.c !== 'string' ||
    !payload.c ||
    (payload.ch !== 'email' && payload.ch !== 'sms') ||
    typeof payload.exp !== 'number'
  ) {
    return { ok: false, problem: 'malformed' };
  }
  if (payload.exp * 1000 <= now.getTime()) return { ok: false, problem: 'expired' };
  return { ok: true, claim: { customerId: payload.c, channel: payload.ch, expiresAt: new Date(payload.exp * 1000) } };
}

export interface UnsubscribeLinkOptions {
  secret: string;
  /** `<PUBLIC_BASE_URL>/v1/unsubscribe`. */
  url: string;
  tokenTtlDays: number;
  /** An address that unsubscribes whoever writes to it (optional second List-Unsubscribe entry). */
  mailto?: string;
}

export interface UnsubscribeLink {
  /** The signed link, for the email's footer. */
  url: string;
  /** List-Unsubscribe and List-Unsubscribe-Post (RFC 2369, RFC 8058). */
  headers: Record<string, string>;
}

/** Builds each recipient's signed link and the headers mail clients show as "Unsubscribe". */
export class UnsubscribeLinks {
  constructor(private readonly options: UnsubscribeLinkOptions) {}

  forCustomer(customerId: string, channel: Channel = 'email', now: Date = new Date()): UnsubscribeLink {
    const expiresAt = new Date(now.getTime() + this.options.tokenTtlDays * 86_400_000);
    const token = createUnsubscribeToken(this.options.secret, { customerId, channel, expiresAt });
    const url = `${this.options.url}?token=${encodeURIComponent(token)}`;
    const targets = [`<${url}>`];
    if (this.options.mailto) targets.push(`<mailto:${this.options.mailto}?subject=unsubscribe>`);
    return {
      url,
      headers: { 'List-Unsubscribe': targets.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  }

  verify(token: string, now: Date = new Date()): TokenCheck {
    return verifyUnsubscribeToken(this.options.secret, token, now);
  }
}
