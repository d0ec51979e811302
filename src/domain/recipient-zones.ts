/**
 * Where in the world a customer may be, for quiet hours: the order's own time zone when checkout sent one; else every
 * zone of the shipping country; else the zones of the phone number's country; else UTC (noted in the journey).
 *
 * Several zones mean "we do not know which": quiet hours then keep the strictest window, i.e. the hours that are inside
 * the window in all of them. A country's zones come from countries-and-timezones (the IANA database's zone1970.tab:
 * every zone whose clocks a part of the country keeps); the phone number's country from libphonenumber-js (phone.ts).
 * A list whose UTC offsets lie too far apart to share a window (territories across the date line, e.g. UM or AQ)
 * tells us nothing usable, so the next clue decides.
 *
 * Pure (both libraries are bundled data: no I/O, clock or randomness), so workflow code calls it. Since the
 * `quiet-hours-from-worker` patch its answer only feeds the inputs of the activities that decide quiet hours
 * (their results are recorded in history), so a data update changes the decisions of new sends, not replays. Histories
 * from before that patch decided in the workflow: for an order without `timeZone` whose zones now differ (Australia
 * gained Lord Howe's half hour; a +1 number is now its own country, not the US and Canada) a replay of such a wait
 * could decide otherwise. Every history in test/replay replays.
 */
import { getCountry, getTimezone } from 'countries-and-timezones';
import { countriesOfPhone } from './phone';
import { isKnownTimeZone } from './quiet-hours';

export type ZoneBasis = 'order_time_zone' | 'shipping_country' | 'phone_country' | 'unknown';

export interface RecipientZones {
  zones: string[];
  basis: ZoneBasis;
}

export const UNKNOWN_ZONE = 'UTC';

/**
 * Zones whose offsets (standard and daylight-saving) lie more than this apart may share less than an hour of the
 * 13-hour send window (08:00–21:00), or none. Russia, Kaliningrad to Kamchatka, spans 10 hours.
 */
export const MAX_OFFSET_SPREAD_MINUTES = 12 * 60;

export function recipientZones(who: { timeZone?: string; shippingCountry?: string; phone?: string }): RecipientZones {
  if (who.timeZone) return { zones: [who.timeZone], basis: 'order_time_zone' };
  const byCountry = who.shippingCountry ? zonesOfCountry(who.shippingCountry) : [];
  if (byCountry.length && shareAWindow(byCountry)) return { zones: byCountry, basis: 'shipping_country' };
  const byPhone = [...new Set(who.phone ? countriesOfPhone(who.phone).flatMap((c) => zonesOfCountry(c)) : [])];
  if (byPhone.length && shareAWindow(byPhone)) return { zones: byPhone, basis: 'phone_country' };
  return { zones: [UNKNOWN_ZONE], basis: 'unknown' };
}

/** Every zone of a country (ISO 3166-1 alpha-2, any case) that this runtime's time zone database knows; else none. */
export function zonesOfCountry(country: string): string[] {
  const zones = getCountry(country.toUpperCase())?.timezones ?? [];
  return zones.filter((zone) => isKnownTimeZone(zone));
}

/** Whether the zones' offsets, all year, stay within MAX_OFFSET_SPREAD_MINUTES of each other. */
export function shareAWindow(zones: readonly string[]): boolean {
  const offsets = zones.flatMap((zone) => {
    const known = getTimezone(zone);
    return known ? [known.utcOffset, known.dstOffset] : [];
  });
  if (offsets.length === 0) return zones.length === 1; // a single zone the dataset lacks: its own window
  return Math.max(...offsets) - Math.min(...offsets) <= MAX_OFFSET_SPREAD_MINUTES;
}
