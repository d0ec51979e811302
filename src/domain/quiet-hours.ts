/**
 * Quiet hours: when a message that can wait (marketing, non-urgent SMS) may reach the customer — inside a daily window
 * of local wall-clock time (default 08:00–21:00), in every time zone the customer may be in.
 *
 * Pure and dependency-free (Intl only), so workflow code calls it with workflow time and replays it deterministically.
 * Local time comes from the runtime's own time zone database (ICU), so daylight-saving changes are handled wherever the
 * database has them: a window that opens at 08:00 opens at 08:00 local on the day the clocks change, whatever the UTC
 * offset was the night before.
 */

/** A daily window of local wall-clock time, "HH:MM" 24-hour; `end` is exclusive. A window may run past midnight. */
export interface SendWindow {
  start: string;
  end: string;
}

/**
 * US federal rules allow marketing SMS 08:00–21:00 at the recipient's location; we use it for every message that waits.
 */
export const DEFAULT_SEND_WINDOW: SendWindow = { start: '08:00', end: '21:00' };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * The first instant at or after `now` when local time is inside `window` in every one of `zones` (one IANA zone, or
 * several when we only know the country: then the strictest window across them). `now` itself when it already is.
 *
 * Zones whose windows never overlap (e.g. Honolulu and Kamchatka) leave no common instant; then the first zone's window
 * is used alone, so a message is deferred, never dropped. Callers avoid such lists (see recipient-zones.ts).
 */
export function nextSendTime(
  now: Date,
  zoneOrZones: string | readonly string[],
  window: SendWindow = DEFAULT_SEND_WINDOW,
): Date {
  const zones = typeof zoneOrZones === 'string' ? [zoneOrZones] : [...zoneOrZones];
  if (zones.length === 0) throw new Error('nextSendTime needs at least one time zone');
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const fits = (ms: number, zone: string) => inWindow(wallClock(ms, zone).minutes, start, end);
  const fitsAll = (ms: number, among: string[]) => among.every((zone) => fits(ms, zone));

  const from = now.getTime();
  for (const among of [zones, zones.slice(0, 1)]) {
    if (fitsAll(from, among)) return new Date(from);
    // A common window always opens when the last of the zones' windows opens: try each zone's next openings in order.
    const openings = among
      .flatMap((zone) => nextOpenings(from, zone, start))
      .filter((ms) => ms > from)
      .sort((a, b) => a - b);
    const first = openings.find((ms) => fitsAll(ms, among));
    if (first !== undefined) return new Date(first);
  }
  throw new Error(`no send window ${window.start}–${window.end} in ${zones[0]}`);
}

/** Whether local time in `zone` at `at` is inside the window. */
export function isInsideWindow(at: Date, zone: string, window: SendWindow = DEFAULT_SEND_WINDOW): boolean {
  return inWindow(wallClock(at.getTime(), zone).minutes, minutesOf(window.start), minutesOf(window.end));
}

/** "HH:MM" local time in `zone` at `at`, for messages and tests. */
export function localTime(at: Date, zone: string): string {
  const { minutes } = wallClock(at.getTime(), zone);
  const whole = Math.floor(minutes);
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

/** The local calendar date in `zone` at `at`, "YYYY-MM-DD" (birthdays and anniversaries fall on local days). */
export function localDate(at: Date, zone: string): string {
  return new Date(wallClock(at.getTime(), zone).dayMs).toISOString().slice(0, 10);
}

/** The first instant of a local calendar date ("YYYY-MM-DD") in `zone`, across daylight-saving changes. */
export function startOfLocalDay(date: string, zone: string): Date {
  return new Date(openingOn(Date.parse(`${date}T00:00:00Z`), zone, 0));
}

/** A zone name the runtime knows (IANA), e.g. for validating input. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

// Local wall-clock arithmetic.

function minutesOf(hhmm: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!(minutes <= 24 * 60)) throw new Error(`"${hhmm}" is not a time of day such as "08:00"`);
  return minutes;
}

function inWindow(minutes: number, start: number, end: number): boolean {
  return start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

interface WallClock {
  /** The local date at midnight, as if it were UTC (for day arithmetic). */
  dayMs: number;
  /** Minutes since local midnight, with seconds as a fraction. */
  minutes: number;
  /** Local time minus UTC at this instant. */
  offsetMs: number;
}

function wallClock(ms: number, zone: string): WallClock {
  const whole = Math.floor(ms / 1000) * 1000; // Intl shows whole seconds
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(whole)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const dayMs = Date.UTC(parts.year!, parts.month! - 1, parts.day);
  const secondOfDay = parts.hour! * 3600 + parts.minute! * 60 + parts.second!;
  return { dayMs, minutes: secondOfDay / 60 + (ms - whole) / MINUTE_MS, offsetMs: dayMs + secondOfDay * 1000 - whole };
}

function offsetAt(ms: number, zone: string): number {
  return wallClock(ms, zone).offsetMs;
}

/** When the window opens in `zone` on the local day containing `fromMs` and the next two days. */
function nextOpenings(fromMs: number, zone: string, startMinutes: number): number[] {
  const today = wallClock(fromMs, zone).dayMs;
  return [-1, 0, 1, 2].map((d) => openingOn(today + d * DAY_MS, zone, startMinutes));
}

/**
 * The first instant whose local time in `zone` is `minutes` past midnight of the local day `dayMs`: when the clocks
 * fall back and that time happens twice, the first one; when they spring forward over it, the instant the clocks jump
 * (the first moment local time is past it).
 */
function openingOn(dayMs: number, zone: string, minutes: number): number {
  const local = dayMs + minutes * MINUTE_MS;
  // The zone's offsets a day either side cover any single change of offset around that time.
  const offsets = [...new Set([offsetAt(local - DAY_MS, zone), offsetAt(local + DAY_MS, zone), offsetAt(local, zone)])];
  const exact = offsets.map((offset) => local - offset).filter((ms) => offsetAt(ms, zone) === local - ms);
  if (exact.length) return Math.min(...exact);
  // A gap: local time jumps over `minutes`. Find the jump between the two readings, to the minute.
  const candidates = offsets.map((offset) => local - offset).sort((a, b) => a - b);
  let before = candidates[0]!;
  let after = candidates[candidates.length - 1]!;
  const localAt = (ms: number) => ms + offsetAt(ms, zone);
  if (localAt(before) >= local) return before;
  while (after - before > MINUTE_MS) {
    const mid = before + Math.floor((after - before) / 2 / MINUTE_MS) * MINUTE_MS;
    if (localAt(mid) >= local) after = mid;
    else before = mid;
  }
  return after;
}
