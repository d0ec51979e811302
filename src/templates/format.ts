/** Locale-aware money and date formatting shared by the templates. Unknown locales fall back to English. */
function supportedLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length ? locale : 'en';
  } catch {
    return 'en';
  }
}

export function formatMoney(amount: string, currency: string, locale: string): string {
  return new Intl.NumberFormat(supportedLocale(locale), { style: 'currency', currency }).format(Number(amount));
}

/** Formats an ISO calendar date (YYYY-MM-DD) as the calendar date itself, whatever the server's zone. */
export function formatDate(isoDate: string, locale: string): string {
  return new Intl.DateTimeFormat(supportedLocale(locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}
