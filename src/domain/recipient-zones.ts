/**
 * Where in the world a customer may be, for quiet hours: the order's own time zone when checkout sent one; else every
 * zone of the shipping country; else the zones of the phone number's country; else UTC (noted in the journey).
 *
 * Several zones mean "we do not know which": quiet hours then keep the strictest window, i.e. the hours that are inside
 * the window in all of them. Each country's list below is chosen so that such a window exists (a country spanning more
 * than ~13 hours, e.g. with overseas territories, lists its main zones only). No common window exists across every zone
 * we know (Honolulu to Kamchatka spans 22 hours), which is why an unknown country falls back to UTC rather than to all.
 *
 * Pure: workflow code calls it. Countries not listed fall back to the runtime's own list for the country (ICU).
 */

export type ZoneBasis = 'order_time_zone' | 'shipping_country' | 'phone_country' | 'unknown';

export interface RecipientZones {
  zones: string[];
  basis: ZoneBasis;
}

/** Our markets and their neighbours, by ISO 3166-1 alpha-2 code. */
export const COUNTRY_ZONES: Readonly<Record<string, readonly string[]>> = {
  LV: ['Europe/Riga'],
  BG: ['Europe/Sofia'],
  HU: ['Europe/Budapest'],
  AE: ['Asia/Dubai'],
  SA: ['Asia/Riyadh'],
  EG: ['Africa/Cairo'],
  GB: ['Europe/London'],
  DE: ['Europe/Berlin'],
  US: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'],
  CA: ['America/St_Johns', 'America/Halifax', 'America/Toronto', 'America/Winnipeg', 'America/Regina', 'America/Edmonton', 'America/Vancouver'],
  AU: ['Australia/Sydney', 'Australia/Brisbane', 'Australia/Adelaide', 'Australia/Darwin', 'Australia/Perth'],
  RU: [
    'Europe/Kaliningrad', 'Europe/Moscow', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk',
    'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok', 'Asia/Magadan', 'Asia/Kamchatka',
  ],
};

/** Country calling codes of the countries above (+1 and +7 are shared: every country behind them counts). */
const CALLING_CODES: Readonly<Record<string, readonly string[]>> = {
  '371': ['LV'],
  '359': ['BG'],
  '36': ['HU'],
  '971': ['AE'],
  '966': ['SA'],
  '20': ['EG'],
  '44': ['GB'],
  '49': ['DE'],
  '61': ['AU'],
  '7': ['RU'],
  '1': ['US', 'CA'],
};

export const UNKNOWN_ZONE = 'UTC';

export function recipientZones(who: { timeZone?: string; shippingCountry?: string; phone?: string }): RecipientZones {
  if (who.timeZone) return { zones: [who.timeZone], basis: 'order_time_zone' };
  const byCountry = who.shippingCountry ? zonesOfCountry(who.shippingCountry) : [];
  if (byCountry.length) return { zones: byCountry, basis: 'shipping_country' };
  const byPhone = who.phone ? countriesOfPhone(who.phone).flatMap((c) => zonesOfCountry(c)) : [];
  if (byPhone.length) return { zones: [...new Set(byPhone)], basis: 'phone_country' };
  return { zones: [UNKNOWN_ZONE], basis: 'unknown' };
}

/** The zones of a country: ours when listed, else the runtime's (ICU) list, else none. */
export function zonesOfCountry(country: string): string[] {
  const code = country.toUpperCase();
  const listed = COUNTRY_ZONES[code];
  if (listed) return [...listed];
  try {
    // Intl.Locale#timeZones (Node 20) became getTimeZones() in later engines; both give the country's IANA zones.
    const locale = new Intl.Locale(`und-${code}`) as Intl.Locale & { timeZones?: string[]; getTimeZones?: () => string[] };
    return [...(locale.getTimeZones?.() ?? locale.timeZones ?? [])];
  } catch {
    return [];
  }
}

function countriesOfPhone(phone: string): readonly string[] {
  const digits = phone.replace(/[^\d+]/g, '');
  if (!digits.startsWith('+')) return [];
  for (const length of [3, 2, 1]) {
    const countries = CALLING_CODES[digits.slice(1, 1 + length)];
    if (countries) return countries;
  }
  return [];
}
