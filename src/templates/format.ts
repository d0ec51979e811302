/**
 * Money, dates and lists as the customer reads them, with Intl for their locale (see locale.ts for which one) and their
 * time zone. Calendar dates (a delivery window) are the same day everywhere, so they are formatted as dates, not
 * instants; instants (when the order was placed) are shown in the customer's zone, or in UTC, said so, when unknown.
 */

/**
 * Intl's formatters cost 10-100 µs to build (the locale's ICU data is resolved then) and about 1 µs to use, and an
 * email uses several: each is built once per locale and options and kept (`npm run bench:templates`). Keys come from
 * orders (locale tag, currency, time zone), so the cache is bounded, least recently used first out; an entry holds
 * up to ~36 KB of ICU data.
 */
const FORMATTERS_LIMIT = 256;
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat | null>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat | null>(
  key: string,
  build: () => T,
): T {
  if (formatters.has(key)) {
    const hit = formatters.get(key) as T;
    formatters.delete(key); // to the back: most recently used
    formatters.set(key, hit);
    return hit;
  }
  const made = build();
  if (formatters.size >= FORMATTERS_LIMIT) formatters.delete(formatters.keys().next().value!);
  formatters.set(key, made);
  return made;
}

/** Forgets every formatter: for the benchmark's baseline (a render that builds its formatters anew). */
export function clearFormatters(): void {
  formatters.clear();
}

export function formatMoney(amount: string, currency: string, intlLocale: string): string {
  return cached(
    `money|${intlLocale}|${currency}`,
    () => new Intl.NumberFormat(intlLocale, { style: 'currency', currency }),
  ).format(Number(amount));
}

const calendarDay = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);

/** An ISO calendar date (YYYY-MM-DD) as the calendar date itself, whatever the server's zone: "Nov 23, 2026". */
export function formatDate(isoDate: string, intlLocale: string): string {
  return cached(
    `date|${intlLocale}`,
    () => new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeZone: 'UTC' }),
  ).format(calendarDay(isoDate));
}

/** A short range of calendar dates for an SMS: "Nov 23 – 25", "23.–25. nov.". */
export function formatShortDateRange(earliest: string, latest: string, intlLocale: string): string {
  const format = cached(
    `day-month|${intlLocale}`,
    () => new Intl.DateTimeFormat(intlLocale, { day: 'numeric', month: 'short', timeZone: 'UTC' }),
  );
  return earliest === latest
    ? format.format(calendarDay(earliest))
    : format.formatRange(calendarDay(earliest), calendarDay(latest));
}

/** An instant in the customer's time zone: "Nov 20, 2026, 12:15 PM"; with "UTC" added when their zone is unknown. */
export function formatDateTime(isoInstant: string, intlLocale: string, timeZone?: string): string {
  const instant = new Date(isoInstant);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an ISO instant: ${isoInstant}`);
  const zoned = timeZone ? dateTimeFormat(intlLocale, timeZone) : null;
  const formatted = (zoned ?? dateTimeFormat(intlLocale, 'UTC')!).format(instant);
  return zoned ? formatted : `${formatted} UTC`;
}

/** null when ICU does not know the zone (remembered too, so a bad zone costs one attempt). */
function dateTimeFormat(intlLocale: string, timeZone: string): Intl.DateTimeFormat | null {
  return cached(`date-time|${intlLocale}|${timeZone}`, () => {
    try {
      return new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    } catch {
      return null;
    }
  });
}

/** Names as a sentence would list them: "A, B and C", "A, B un C". */
export function formatList(names: string[], intlLocale: string): string {
  return cached(
    `list|${intlLocale}`,
    () => new Intl.ListFormat(intlLocale, { style: 'long', type: 'conjunction' }),
  ).format(names);
}
