/**
 * The customer's lifecycle rules (src/domain/lifecycle.ts): birth dates as checkout and support write them, the
 * birthday on the day in the customer's zone (across daylight-saving changes), win-backs after a quiet spell, tiers.
 */
import {
  nextAnniversary,
  nextBirthday,
  nextWinBack,
  parseBirthDate,
  PRODUCTION_LIFECYCLE,
  tierFor,
  withinWindow,
} from '../../src/domain/lifecycle';
import { demoPolicy, journeyPolicyOverridesSchema, productionPolicy, resolvePolicy } from '../../src/domain/policy';
import { localTime } from '../../src/domain/quiet-hours';

const RIGA = ['Europe/Riga'];

describe('a birth date as checkout or support give it', () => {
  it.each([
    ['07-14', { month: 7, day: 14 }],
    ['1990-07-14', { year: 1990, month: 7, day: 14 }],
    ['02-29', { month: 2, day: 29 }],
    ['2000-02-29', { year: 2000, month: 2, day: 29 }],
  ])('%s is a birthday', (text, expected) => {
    expect(parseBirthDate(text)).toEqual(expected);
  });

  it.each([
    ['02-30', 'has no day 30 in month 02'],
    ['13-01', 'has no month 13: months are 01 to 12'],
    ['00-10', 'has no month 00: months are 01 to 12'],
    ['1991-02-29', '1991 has no 29 February'],
    ['14.07', 'must be a date written MM-DD (e.g. "07-14") or YYYY-MM-DD (e.g. "1990-07-14")'],
    ['7-14', 'must be a date written MM-DD (e.g. "07-14") or YYYY-MM-DD (e.g. "1990-07-14")'],
  ])('%s is refused: it %s', (text, why) => {
    expect(parseBirthDate(text)).toBe(why);
  });
});

describe('the birthday greeting', () => {
  it('goes at 08:00 local on the day the clocks spring forward in Riga (05:00 UTC, not 06:00)', () => {
    const due = nextBirthday({ month: 3, day: 28 }, '2027-01-10T12:00:00Z', RIGA, productionPolicy, []);
    expect(due).toEqual({ occurrence: 2027, date: '2027-03-28', dueAt: '2027-03-28T05:00:00.000Z' });
    expect(localTime(new Date(due!.dueAt), 'Europe/Riga')).toBe('08:00');
  });

  it('goes at once when the birthday has begun and the window is open, and waits a year once it was sent', () => {
    const now = '2027-07-14T09:30:00Z'; // 12:30 in Riga
    expect(nextBirthday({ month: 7, day: 14 }, now, RIGA, productionPolicy, [])?.dueAt).toBe(
      '2027-07-14T09:30:00.000Z',
    );
    expect(nextBirthday({ month: 7, day: 14 }, now, RIGA, productionPolicy, [2027])?.date).toBe('2028-07-14');
  });

  it('is missed, not sent a day late, when the day ends before the window opens again', () => {
    const lateEvening = '2027-07-14T18:30:00Z'; // 21:30 in Riga: the window has closed for the day
    expect(nextBirthday({ month: 7, day: 14 }, lateEvening, RIGA, productionPolicy, [])?.date).toBe('2028-07-14');
  });

  it('falls on 28 February in years without a 29th', () => {
    expect(nextBirthday({ month: 2, day: 29 }, '2027-01-01T12:00:00Z', RIGA, productionPolicy, [])?.date).toBe(
      '2027-02-28',
    );
  });

  it('under the demo policy, counts the calendar days as policy days (seconds)', () => {
    const due = nextBirthday({ month: 1, day: 20 }, '2027-01-10T12:00:00Z', RIGA, demoPolicy, []);
    expect(due?.dueAt).toBe('2027-01-10T12:00:10.000Z');
  });
});

describe('the account anniversary', () => {
  it('is the first order’s local date a year on (the first order late on 31 Dec UTC is 1 Jan in Riga)', () => {
    const due = nextAnniversary('2026-12-31T23:00:00Z', '2027-06-01T12:00:00Z', RIGA, productionPolicy, 0);
    expect(due).toMatchObject({ occurrence: 1, date: '2028-01-01' });
  });

  it('counts on from the anniversaries already sent', () => {
    const due = nextAnniversary('2025-05-10T10:00:00Z', '2027-06-01T12:00:00Z', RIGA, productionPolicy, 2);
    expect(due).toMatchObject({ occurrence: 3, date: '2028-05-10' });
  });
});

describe('win-back', () => {
  const lastOrder = { placedAt: '2027-01-01T10:00:00Z', categories: ['cosmetics'] };

  it('comes 90 days after the last order, its reminder 30 days later, then nothing', () => {
    expect(nextWinBack(lastOrder, 0, productionPolicy)).toEqual({ number: 1, dueAt: '2027-04-01T10:00:00.000Z' });
    expect(nextWinBack(lastOrder, 1, productionPolicy)).toEqual({ number: 2, dueAt: '2027-05-01T10:00:00.000Z' });
    expect(nextWinBack(lastOrder, 2, productionPolicy)).toBeUndefined();
  });

  it('waits the longest quiet spell of the last order’s categories (industrial goods: 395 days)', () => {
    const industrial = { ...lastOrder, categories: ['cosmetics', 'Industrial'] };
    expect(nextWinBack(industrial, 0, productionPolicy)?.dueAt).toBe('2028-01-31T10:00:00.000Z');
  });
});

describe('loyalty tiers', () => {
  const order = (placedAt: string, total = '59.90') => ({ placedAt, total });

  it('the third order in twelve months reaches silver; spend alone can too', () => {
    const tiers = PRODUCTION_LIFECYCLE.loyaltyTiers;
    expect(tierFor([order('a'), order('b')], tiers)).toBeUndefined();
    expect(tierFor([order('a'), order('b'), order('c')], tiers)?.name).toBe('silver');
    expect(tierFor([order('a', '250.00')], tiers)?.name).toBe('silver');
    expect(tierFor([order('a', '520.00')], tiers)?.name).toBe('gold');
  });

  it('counts only the orders of the last twelve months', () => {
    const orders = [order('2026-01-05T10:00:00Z'), order('2026-06-01T10:00:00Z'), order('2027-01-10T10:00:00Z')];
    expect(withinWindow(orders, '2027-01-10T10:00:00Z', productionPolicy)).toEqual(orders.slice(1));
  });
});

describe('the lifecycle settings of the policy', () => {
  const lifecycle = (patch: object) => ({ lifecycle: { ...PRODUCTION_LIFECYCLE, ...patch } });

  it('production and demo have them; a shop may override them (validated like every policy field)', () => {
    expect(productionPolicy.lifecycle.winBackAfterDays).toBe(90);
    expect(demoPolicy.lifecycle.winBackAfterDays).toBe(90); // demo "days" are seconds: a win-back after 90 s
    const shop = journeyPolicyOverridesSchema.parse(lifecycle({ winBackAfterDays: 60, birthdayOfferCode: 'BDAY-10' }));
    expect(resolvePolicy('production', shop).lifecycle).toMatchObject({
      winBackAfterDays: 60,
      birthdayOfferCode: 'BDAY-10',
    });
  });

  it.each([
    [{ loyaltyTiers: [{ name: 'silver' }] }, 'lifecycle.loyaltyTiers.0', 'needs minOrders or minSpend'],
    [{ winBackAfterDays: 0 }, 'lifecycle.winBackAfterDays', 'Too small'],
    [{ birthdayOfferCode: 'free cake' }, 'lifecycle.birthdayOfferCode', 'must be 3–32 capital letters'],
  ])('refuses %j, naming the field', (patch, path, message) => {
    const parsed = journeyPolicyOverridesSchema.safeParse(lifecycle(patch));
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(path);
    expect(issue.message).toContain(message);
  });
});
