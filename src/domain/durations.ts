/**
 * Time arithmetic of the journeys, in one place: policy days to milliseconds (the demo policy's "day" is a second),
 * due times ("ten days after delivery"), and how long until one. Pure and dependency-free so workflow code can import
 * it: the workflows read the clock in src/workflows/clock.ts and pass "now" in.
 */

/** A calendar day (expected delivery windows are calendar dates, whatever the policy). */
export const DAY_MS = 86_400_000;

/** The seconds of a real day: a policy with them runs on real days (quiet hours apply, the cap is 24 hours). */
export const REAL_DAY_SECONDS = 86_400;

/** What a duration needs of the policy: how long its "day" lasts. */
export interface DayLength {
  secondsPerDay: number;
}

/** Policy days to milliseconds. */
export function daysToMs(policy: DayLength, days: number): number {
  return Math.round(days * policy.secondsPerDay * 1000);
}

/** Whether the policy's days are real days (not the demo's seconds). */
export function hasRealDays(policy: DayLength): boolean {
  return policy.secondsPerDay === REAL_DAY_SECONDS;
}

/** The ISO instant `ms` after `fromIso`. */
export function addMs(fromIso: string, ms: number): string {
  return new Date(Date.parse(fromIso) + ms).toISOString();
}

/** When something is due: `days` policy days after `fromIso`, e.g. the review request after delivery. */
export function dueAfterDays(fromIso: string, policy: DayLength, days: number): string {
  return addMs(fromIso, daysToMs(policy, days));
}

/** Milliseconds from `fromIso` to `toIso` (negative when `toIso` is earlier). */
export function msBetween(fromIso: string, toIso: string): number {
  return Date.parse(toIso) - Date.parse(fromIso);
}

/** Milliseconds from `nowMs` until an ISO instant, 0 when it has passed. */
export function msUntil(iso: string, nowMs: number): number {
  return Math.max(0, Date.parse(iso) - nowMs);
}

/** The end of a calendar date in UTC: "2026-11-28" → "2026-11-29T00:00:00.000Z". */
export function endOfDate(isoDate: string): string {
  return addMs(`${isoDate}T00:00:00Z`, DAY_MS);
}

/** The latest of some ISO instants (all from `toISOString()`, so they compare as strings). */
export function latestOf(instants: string[]): string {
  return instants.reduce((latest, t) => (t > latest ? t : latest));
}

/** "2026-11-23 10:00" (UTC, minutes): how due times read in the Temporal UI. */
export function minutesOf(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}
