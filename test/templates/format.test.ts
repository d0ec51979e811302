/**
 * The formatters behind money, dates and lists are built once per locale, currency and zone and kept (format.ts): a
 * kept formatter must never format for another key, nor after the cache has turned over.
 */
import { clearFormatters, formatDateTime, formatMoney } from '../../src/templates/format';

const fresh = {
  money: (amount: string, currency: string, locale: string) =>
    new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(amount)),
  dateTime: (instant: string, locale: string, timeZone: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(instant)),
};

beforeEach(() => clearFormatters());

it('formats each currency and locale with its own formatter, the first time and every time after', () => {
  const cases: [string, string][] = [
    ['EUR', 'en'],
    ['USD', 'en'],
    ['EUR', 'lv'],
    ['HUF', 'hu'],
  ];
  for (let round = 0; round < 2; round++)
    for (const [currency, locale] of cases)
      expect(formatMoney('1234.5', currency, locale)).toBe(fresh.money('1234.5', currency, locale));
  expect(new Set(cases.map(([c, l]) => formatMoney('1234.5', c, l))).size).toBe(cases.length);
});

it('shows an instant in each zone it is asked for, and in UTC (said so) for a zone ICU does not know, every time', () => {
  const at = '2026-11-20T10:15:00Z';
  for (let round = 0; round < 2; round++) {
    expect(formatDateTime(at, 'en', 'Europe/Riga')).toBe(fresh.dateTime(at, 'en', 'Europe/Riga'));
    expect(formatDateTime(at, 'en', 'America/New_York')).toBe(fresh.dateTime(at, 'en', 'America/New_York'));
    expect(formatDateTime(at, 'en', 'Mars/Olympus')).toBe(`${fresh.dateTime(at, 'en', 'UTC')} UTC`);
  }
  expect(formatDateTime(at, 'en', 'Europe/Riga')).not.toBe(formatDateTime(at, 'en', 'America/New_York'));
});

it('still formats correctly after more zones than it keeps have come and gone', () => {
  const at = '2026-06-01T23:30:00Z';
  const zones = Intl.supportedValuesOf('timeZone').slice(0, 400); // more than the cache's 256 entries
  expect(zones.length).toBe(400);
  for (let round = 0; round < 2; round++)
    for (const zone of zones) expect(formatDateTime(at, 'en', zone)).toBe(fresh.dateTime(at, 'en', zone));
});
