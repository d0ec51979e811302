/**
 * Money, dates and lists as the customer reads them, with Intl for their locale (see locale.ts for which one) and their
 * time zone. Calendar dates (a delivery window) are the same day everywhere, so they are formatted as dates, not
 * instants; instants (when the order was placed) are shown in the customer's zone, or in UTC, said so, when unknown.
 */

export function formatMoney(amount: string, currency: string, intlLocale: string): string {
  return new Intl.NumberFormat(intlLocale, { style: 'currency', currency }).format(Number(amount));
}

const calendarDay = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);

/** An ISO calendar date (YYYY-MM-DD) as the calendar date itself, whatever the server's zone: "Nov 23, 2026". */
export function formatDate(isoDate: string, intlLocale: string): string {
  return new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeZone: 'UTC' }).format(calendarDay(isoDate));
}

/** A short range of calendar dates for an SMS: "Nov 23 – 25", "23.–25. nov.". */
export function formatShortDateRange(earliest: string, latest: string, intlLocale: string): string {
  const format = new Intl.DateTimeFormat(intlLocale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return earliest === latest
    ? format.format(calendarDay(earliest))
    : format.formatRange(calendarDay(earliest), calendarDay(latest));
}

/** An instant in the customer's time zone: "Nov 20, 2026, 12:15 PM"; with "UTC" added when their zone is unknown. */
export function formatDateTime(isoInstant: string, intlLocale: string, timeZone?: string): string {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : undefined;
  const instant = new Date(isoInstant);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an ISO instant: ${isoInstant}`);
  const formatted = new Intl.DateTimeFormat(intlLocale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: zone ?? 'UTC',
  }).format(instant);
  return zone ? formatted : `${formatted} UTC`;
}

/** Names as a sentence would list them: "A, B and C", "A, B un C". */
export function formatList(names: string[], intlLocale: string): string {
  return new Intl.ListFormat(intlLocale, { style: 'long', type: 'conjunction' }).format(names);
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
