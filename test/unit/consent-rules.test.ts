/**
 * The rules behind consent, the frequency cap and unsubscribe links, without a database or Temporal.
 */
import {
  marketingVerdict,
  sendVerdict,
  type CustomerStatements,
  type PreferenceStatement,
} from '../../src/domain/consent';
import { firstFreeSlot, MARKETING_SPACING_MS } from '../../src/domain/marketing-cap';
import { isMarketing, MESSAGE_KINDS, messageKind, waitsForQuietHours } from '../../src/domain/message-kinds';
import { nextSendTime } from '../../src/domain/quiet-hours';
import { createUnsubscribeToken, UnsubscribeLinks, verifyUnsubscribeToken } from '../../src/domain/unsubscribe-token';
import { MESSAGE_TYPES } from '../../src/templates';
import { ConfigError, DEV_UNSUBSCRIBE_SECRET, loadConfig } from '../../src/config';

const HOUR = 3_600_000;
const said = (status: PreferenceStatement['status'], at: string, source = 'support'): PreferenceStatement => ({
  status,
  source,
  reason: null,
  at: new Date(at),
});
const checkout = (marketing: boolean, at = '2026-11-20T10:00:00Z') => ({ orderId: '1001', marketing, at });

describe('message kinds', () => {
  it('classifies every message type the templates know, and nothing else', () => {
    expect(Object.keys(MESSAGE_KINDS).sort()).toEqual([...MESSAGE_TYPES].sort());
  });

  it('marketing: tips, review requests and reminders, replenishment, the customer lifecycle; the rest is about the order', () => {
    expect(MESSAGE_TYPES.filter(isMarketing).sort()).toEqual([
      'anniversary',
      'birthday',
      'loyalty_tier',
      'replenishment_reminder',
      'review_reminder',
      'review_request',
      'unboxing_tips',
      'win_back',
      'win_back_reminder',
    ]);
    expect(messageKind('refund_confirmed')).toBe('transactional');
    expect(messageKind('something_new')).toBe('marketing'); // unknown: the stricter rules
  });

  it('quiet hours hold marketing on every channel and non-urgent SMS; delivery status and email updates go at once', () => {
    expect(waitsForQuietHours('review_request', 'email')).toBe(true);
    expect(waitsForQuietHours('review_request', 'sms')).toBe(true);
    for (const urgent of [
      'confirmation',
      'shipped',
      'out_for_delivery',
      'ready_for_pickup',
      'delivered',
      'delivery_problem',
      'return_accepted',
      'cancellation',
    ]) {
      expect({ urgent, waits: waitsForQuietHours(urgent, 'sms') }).toEqual({ urgent, waits: false });
    }
    for (const canWait of ['tracking_stalled', 'refund_confirmed', 'bad_review_apology']) {
      expect({ canWait, sms: waitsForQuietHours(canWait, 'sms'), email: waitsForQuietHours(canWait, 'email') }).toEqual(
        { canWait, sms: true, email: false },
      );
    }
  });
});

describe('consent', () => {
  it('no marketing without consent: none recorded and none at checkout, or checkout left unticked', () => {
    expect(marketingVerdict({})).toMatchObject({ send: false, code: 'no_marketing_consent' });
    expect(marketingVerdict({}, checkout(false))).toMatchObject({ send: false, code: 'no_marketing_consent' });
    expect(marketingVerdict({}, checkout(true))).toEqual({ send: true });
  });

  it('the latest statement wins: an opt-out after the order stops it, a newer order with consent turns it back on', () => {
    const optedOut: CustomerStatements = {
      marketing: said('opted_out', '2026-11-21T08:00:00Z', 'unsubscribe-link:email'),
    };
    expect(marketingVerdict(optedOut, checkout(true, '2026-11-20T10:00:00Z'))).toMatchObject({
      send: false,
      code: 'marketing_opted_out',
    });
    expect(marketingVerdict(optedOut, checkout(true, '2026-12-01T10:00:00Z'))).toEqual({ send: true });
    // Unticked at a later checkout is not a withdrawal of consent given before.
    expect(
      marketingVerdict(
        { marketing: said('opted_in', '2026-11-21T08:00:00Z') },
        checkout(false, '2026-12-01T10:00:00Z'),
      ),
    ).toEqual({ send: true });
  });

  it('transactional messages need no marketing consent; a channel turned off gets nothing at all', () => {
    expect(sendVerdict({}, { messageType: 'delivered', channel: 'sms' })).toEqual({ send: true });
    const noSms: CustomerStatements = { sms: said('opted_out', '2026-11-21T08:00:00Z') };
    expect(sendVerdict(noSms, { messageType: 'delivered', channel: 'sms' })).toMatchObject({
      send: false,
      code: 'channel_opted_out',
    });
    expect(sendVerdict(noSms, { messageType: 'delivered', channel: 'email' })).toEqual({ send: true });
    expect(sendVerdict(noSms, { messageType: 'review_request', channel: 'email' }, checkout(true))).toEqual({
      send: true,
    });
  });
});

describe('frequency cap', () => {
  const t0 = new Date('2027-05-10T09:00:00Z');
  const plus = (hours: number) => new Date(t0.getTime() + hours * HOUR);

  it('a message with nothing reserved near it goes when due', () => {
    expect(firstFreeSlot(t0, [], MARKETING_SPACING_MS)).toEqual(t0);
    expect(firstFreeSlot(t0, [plus(-24), plus(24)], MARKETING_SPACING_MS)).toEqual(t0); // exactly a day either side
  });

  it('one within 24 hours of another moves to 24 hours after it, and past every slot it would then clash with', () => {
    expect(firstFreeSlot(t0, [plus(-2)], MARKETING_SPACING_MS)).toEqual(plus(22));
    expect(firstFreeSlot(t0, [plus(-2), plus(30)], MARKETING_SPACING_MS)).toEqual(plus(54));
    // A gap of 48 hours between two reserved slots fits one message exactly in the middle.
    expect(firstFreeSlot(t0, [plus(-12), plus(36)], MARKETING_SPACING_MS)).toEqual(plus(12));
  });

  it('and into the quiet-hours window, then past any slot the window moved it onto', () => {
    const fit = (at: Date) => nextSendTime(at, 'Europe/Riga');
    // Due 23:30 in Riga; another message reserved for 08:00 the next morning → 08:00 the morning after.
    const due = new Date('2027-05-10T20:30:00Z');
    expect(firstFreeSlot(due, [new Date('2027-05-11T05:00:00Z')], MARKETING_SPACING_MS, fit)).toEqual(
      new Date('2027-05-12T05:00:00Z'),
    );
    // Another one at 15:00 the same day → 15:00 the next day is fine (inside the window).
    expect(
      firstFreeSlot(new Date('2027-05-10T10:00:00Z'), [new Date('2027-05-10T12:00:00Z')], MARKETING_SPACING_MS, fit),
    ).toEqual(new Date('2027-05-11T12:00:00Z'));
    // Another at 21:10 local: 24 hours later it is 21:10 again, already quiet → 08:00 the morning after.
    expect(
      firstFreeSlot(new Date('2027-05-10T10:00:00Z'), [new Date('2027-05-10T18:10:00Z')], MARKETING_SPACING_MS, fit),
    ).toEqual(new Date('2027-05-12T05:00:00Z'));
  });
});

describe('unsubscribe tokens', () => {
  const secret = 'a-test-secret-of-at-least-32-characters!';
  const now = new Date('2027-01-10T12:00:00Z');
  const token = createUnsubscribeToken(secret, {
    customerId: 'cus-42',
    channel: 'email',
    expiresAt: new Date('2027-03-11T12:00:00Z'),
  });

  it('verify for the customer and channel they were made for, until they expire', () => {
    expect(verifyUnsubscribeToken(secret, token, now)).toEqual({
      ok: true,
      claim: { customerId: 'cus-42', channel: 'email', expiresAt: new Date('2027-03-11T12:00:00Z') },
    });
    expect(verifyUnsubscribeToken(secret, token, new Date('2027-03-11T12:00:00Z'))).toEqual({
      ok: false,
      problem: 'expired',
    });
  });

  it('refuse any change: another customer in the payload, another signature, another secret, garbage', () => {
    const [version, payload, signature] = token.split('.') as [string, string, string];
    const otherPayload = Buffer.from(JSON.stringify({ c: 'cus-43', ch: 'email', exp: 1_900_000_000 })).toString(
      'base64url',
    );
    expect(verifyUnsubscribeToken(secret, `${version}.${otherPayload}.${signature}`, now)).toEqual({
      ok: false,
      problem: 'bad_signature',
    });
    expect(verifyUnsubscribeToken(secret, `${version}.${payload}.${signature.slice(0, -2)}AA`, now)).toEqual({
      ok: false,
      problem: 'bad_signature',
    });
    expect(verifyUnsubscribeToken('another-secret-of-at-least-32-characters', token, now)).toEqual({
      ok: false,
      problem: 'bad_signature',
    });
    expect(verifyUnsubscribeToken(secret, 'not-a-token', now)).toEqual({ ok: false, problem: 'malformed' });
    expect(verifyUnsubscribeToken(secret, `v2.${payload}.${signature}`, now)).toEqual({
      ok: false,
      problem: 'malformed',
    });
  });

  it('links carry List-Unsubscribe (https, and mailto when configured) and List-Unsubscribe-Post for one click', () => {
    const links = new UnsubscribeLinks({
      secret,
      url: 'https://journeys.shop.example/v1/unsubscribe',
      tokenTtlDays: 60,
      mailto: 'unsubscribe@shop.example',
    });
    const link = links.forCustomer('cus-42', 'email', now);
    expect(link.url).toMatch(/^https:\/\/journeys\.shop\.example\/v1\/unsubscribe\?token=v1\.[\w-]+\.[\w-]+$/);
    expect(link.headers).toEqual({
      'List-Unsubscribe': `<${link.url}>, <mailto:unsubscribe@shop.example?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const check = links.verify(new URL(link.url).searchParams.get('token')!, now);
    expect(check).toEqual({
      ok: true,
      claim: { customerId: 'cus-42', channel: 'email', expiresAt: new Date('2027-03-11T12:00:00Z') },
    });
  });
});

describe('the unsubscribe secret in the configuration', () => {
  const base = { DATABASE_URL: 'postgres://localhost:5432/app' };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };

  it('defaults to the published dev secret on a laptop, with links valid 60 days', () => {
    expect(loadConfig(base).unsubscribe).toEqual({
      secret: DEV_UNSUBSCRIBE_SECRET,
      tokenTtlDays: 60,
      mailto: undefined,
    });
  });

  it('is required in production, may not be the dev secret there, and must be long', () => {
    expect(problems({ ...base, NODE_ENV: 'production' })).toContain('UNSUBSCRIBE_SECRET is required in production');
    expect(problems({ ...base, NODE_ENV: 'production', UNSUBSCRIBE_SECRET: DEV_UNSUBSCRIBE_SECRET })).toContain(
      'UNSUBSCRIBE_SECRET must not use the published dev secret in production',
    );
    expect(problems({ ...base, UNSUBSCRIBE_SECRET: 'short' })).toEqual([
      'UNSUBSCRIBE_SECRET must be at least 32 characters (a random secret)',
    ]);
    expect(problems({ ...base, UNSUBSCRIBE_TOKEN_TTL_DAYS: '0' })).toEqual([
      expect.stringMatching(/^UNSUBSCRIBE_TOKEN_TTL_DAYS /),
    ]);
  });
});
