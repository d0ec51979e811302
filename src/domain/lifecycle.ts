/**
 * The customer's lifecycle, as pure rules: when the birthday greeting and the account anniversary are due (on the day,
 * in the customer's time zone, when their quiet hours open), when a win-back is due after a quiet spell, and which
 * loyalty tier a customer's last twelve months of orders reach.
 *
 * Pure and dependency-free (Intl only, through quiet-hours.ts), so the customer workflow computes these from workflow
 * time and replays them deterministically. The customer workflow: src/workflows/customer-lifecycle.ts.
 */
import { DAY_MS, daysToMs, hasRealDays, type DayLength } from './durations';
import { localDate, nextSendTime, startOfLocalDay } from './quiet-hours';

/** Month and day are enough for a birthday greeting; the year only when the customer gave it. */
export interface BirthDate {
  month: number;
  day: number;
  year?: number;
}

/** A tier of the loyalty programme: reached by either threshold over the policy's window (12 months by default). */
export interface LoyaltyTier {
  /** A noun support uses ("silver"); shown to the customer as is. */
  name: string;
  /** Orders in the window that reach the tier. */
  minOrders?: number;
  /** Spend in the window (order totals, in the shop's currency) that reaches the tier. */
  minSpend?: number;
  /** An offer code printed in the congratulation (marketing: consent applies). */
  offerCode?: string;
}

/** The lifecycle settings of the journey policy (src/domain/policy.ts). */
export interface LifecyclePolicy {
  /** An offer code printed in the birthday greeting; none when absent. */
  birthdayOfferCode?: string;
  /** Days without an order after which the customer hears from us once (a win-back). */
  winBackAfterDays: number;
  /** Longer (or shorter) quiet spells per category of the last order, where the shop says so (industrial: a year). */
  winBackAfterDaysByCategory: Record<string, number>;
  /** Days after the win-back for its one reminder; then silence until the next order. */
  winBackReminderAfterDays: number;
  /** The window of orders a loyalty tier counts. */
  loyaltyWindowDays: number;
  /** Lowest first. */
  loyaltyTiers: LoyaltyTier[];
}

/** Production defaults: a win-back after 90 quiet days (a year for industrial goods), tiers by orders or spend. */
export const PRODUCTION_LIFECYCLE: LifecyclePolicy = {
  winBackAfterDays: 90,
  winBackAfterDaysByCategory: { industrial: 395 },
  winBackReminderAfterDays: 30,
  loyaltyWindowDays: 365,
  loyaltyTiers: [
    { name: 'silver', minOrders: 3, minSpend: 200 },
    { name: 'gold', minOrders: 6, minSpend: 500 },
  ],
};

/** The policy as the customer workflow needs it: its "day", its retry hours, the lifecycle settings. */
export interface CustomerPolicy extends DayLength {
  name: string;
  secondsPerRetryHour?: number;
  lifecycle: LifecyclePolicy;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * "MM-DD" or "YYYY-MM-DD" → the birth date, or what is wrong with it (for a 400 that says so).
 */
export function parseBirthDate(text: string): BirthDate | string {
  const match = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(text);
  if (!match) return 'must be a date written MM-DD (e.g. "07-14") or YYYY-MM-DD (e.g. "1990-07-14")';
  const year = match[1] === undefined ? undefined : Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12) return `has no month ${match[2]}: months are 01 to 12`;
  if (day < 1 || day > DAYS_IN_MONTH[month - 1]!) return `has no day ${match[3]} in month ${match[2]}`;
  if (year !== undefined && month === 2 && day === 29 && !isLeapYear(year)) return `${year} has no 29 February`;
  if (year !== undefined && (year < 1900 || year > 2100)) return `has an unlikely year ${year}`;
  return year === undefined ? { month, day } : { year, month, day };
}

/** "MM-DD" (or "YYYY-MM-DD" with the year): how a birth date reads in the API and the Temporal UI. */
export function formatBirthDate({ year, month, day }: BirthDate): string {
  const md = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return year === undefined ? md : `${year}-${md}`;
}

/** The calendar date of month/day in `year`; 29 February falls on the 28th in other years. */
function dateIn(year: number, month: number, day: number): string {
  const d = month === 2 && day === 29 && !isLeapYear(year) ? 28 : day;
  return `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A yearly greeting that falls due: which year's (or which anniversary), and when it may go. */
export interface YearlyDue {
  /** The birthday's year, or the anniversary's number (1 for the first). */
  occurrence: number;
  /** The local date it is for ("2027-03-29"). */
  date: string;
  dueAt: string;
}

/**
 * When the next yearly greeting of `month`/`day` goes: on that local date in the customer's first zone, when their
 * quiet hours open (08:00) or at once if the day has begun and the window is open. A day whose window has closed by
 * now is missed for that year (never a day late). `occurrenceOf(year)` numbers it; `done(n)` skips those already sent.
 * Under a policy whose "day" is not a real day (the demo), the calendar days until it are policy days from `now`.
 */
export function nextYearly(
  now: string,
  zones: readonly string[],
  policy: DayLength,
  { month, day }: { month: number; day: number },
  occurrenceOf: (year: number) => number,
  done: (occurrence: number) => boolean,
): YearlyDue | undefined {
  const zone = zones[0] ?? 'UTC';
  const today = localDate(new Date(now), zone);
  const thisYear = Number(today.slice(0, 4));
  for (let year = thisYear; year <= thisYear + 2; year++) {
    const occurrence = occurrenceOf(year);
    if (occurrence < 1 || done(occurrence)) continue;
    const date = dateIn(year, month, day);
    if (date < today) continue;
    if (!hasRealDays(policy)) {
      const days = Math.round((Date.parse(date) - Date.parse(today)) / DAY_MS);
      return { occurrence, date, dueAt: new Date(Date.parse(now) + daysToMs(policy, days)).toISOString() };
    }
    const from = Math.max(Date.parse(now), startOfLocalDay(date, zone).getTime());
    const due = nextSendTime(new Date(from), zones);
    if (localDate(due, zone) !== date) continue; // the day's window is over: next year
    return { occurrence, date, dueAt: due.toISOString() };
  }
  return undefined;
}

/** The next birthday greeting (its occurrence is the year). */
export function nextBirthday(
  birthDate: BirthDate,
  now: string,
  zones: readonly string[],
  policy: DayLength,
  greetedYears: readonly number[],
): YearlyDue | undefined {
  return nextYearly(
    now,
    zones,
    policy,
    birthDate,
    (year) => year,
    (year) => greetedYears.includes(year),
  );
}

/** The next account anniversary, counted from the first order's local date (its occurrence: 1 for the first year). */
export function nextAnniversary(
  firstOrderAt: string,
  now: string,
  zones: readonly string[],
  policy: DayLength,
  anniversariesSent: number,
): YearlyDue | undefined {
  const since = localDate(new Date(firstOrderAt), zones[0] ?? 'UTC');
  const [year, month, day] = since.split('-').map(Number) as [number, number, number];
  return nextYearly(
    now,
    zones,
    policy,
    { month, day },
    (y) => y - year,
    (n) => n <= anniversariesSent,
  );
}

/** How long a customer whose last order had these categories may stay quiet before a win-back: the longest applies. */
export function winBackAfterDays(categories: readonly string[], lifecycle: LifecyclePolicy): number {
  const byCategory = categories.map(
    (c) => lifecycle.winBackAfterDaysByCategory[c.toLowerCase()] ?? lifecycle.winBackAfterDays,
  );
  return Math.max(lifecycle.winBackAfterDays, ...byCategory);
}

/** The win-back (1) or its reminder (2) that is next after the last order, with its due time; none after both. */
export function nextWinBack(
  lastOrder: { placedAt: string; categories: readonly string[] },
  sent: number,
  policy: DayLength & { lifecycle: LifecyclePolicy },
): { number: 1 | 2; dueAt: string } | undefined {
  if (sent >= 2) return undefined;
  const quietDays = winBackAfterDays(lastOrder.categories, policy.lifecycle);
  const days = sent === 0 ? quietDays : quietDays + policy.lifecycle.winBackReminderAfterDays;
  return {
    number: sent === 0 ? 1 : 2,
    dueAt: new Date(Date.parse(lastOrder.placedAt) + daysToMs(policy, days)).toISOString(),
  };
}

/** The orders a tier counts: those placed within the window that ends at `at` (a checkout clock ahead counts too). */
export function withinWindow<T extends { placedAt: string }>(
  orders: readonly T[],
  at: string,
  policy: DayLength & { lifecycle: LifecyclePolicy },
): T[] {
  const from = Date.parse(at) - daysToMs(policy, policy.lifecycle.loyaltyWindowDays);
  return orders.filter((o) => Date.parse(o.placedAt) > from);
}

/** The highest tier the orders reach (by count or by spend), or none. */
export function tierFor(orders: readonly { total: string }[], tiers: readonly LoyaltyTier[]): LoyaltyTier | undefined {
  const spend = orders.reduce((sum, o) => sum + Number(o.total), 0);
  return [...tiers]
    .reverse()
    .find(
      (t) =>
        (t.minOrders !== undefined && orders.length >= t.minOrders) ||
        (t.minSpend !== undefined && spend >= t.minSpend),
    );
}

/** A tier's rank (its place in the policy's list, lowest 1); 0 for none. */
export function tierRank(name: string | undefined, tiers: readonly LoyaltyTier[]): number {
  return name === undefined ? 0 : tiers.findIndex((t) => t.name === name) + 1;
}

/** The customer's workflow: one per customer, for years. The id carries nothing but the customer id. */
export function customerWorkflowId(customerId: string): string {
  return `customer-${customerId}`;
}
