/**
 * Where the customer may be, for quiet hours: the order's time zone, the shipping country's zones
 * (countries-and-timezones), the phone number's country (libphonenumber-js), else UTC.
 */
import { getAllCountries, getCountry } from 'countries-and-timezones';
import { isInsideWindow, isKnownTimeZone, nextSendTime } from '../../src/domain/quiet-hours';
import { recipientZones, shareAWindow, zonesOfCountry } from '../../src/domain/recipient-zones';

const countries = Object.keys(getAllCountries());

describe('where the customer is', () => {
  it("the order's time zone first, then every zone of the shipping country, then the phone's country, else UTC", () => {
    expect(recipientZones({ timeZone: 'Europe/Sofia', shippingCountry: 'US', phone: '+37120000000' })).toEqual({
      zones: ['Europe/Sofia'],
      basis: 'order_time_zone',
    });
    expect(recipientZones({ shippingCountry: 'CA', phone: '+37120000000' })).toEqual({
      zones: zonesOfCountry('CA'),
      basis: 'shipping_country',
    });
    expect(recipientZones({ phone: '+37126000000' })).toEqual({ zones: ['Europe/Riga'], basis: 'phone_country' });
    expect(recipientZones({ phone: '+971501234567' })).toEqual({ zones: ['Asia/Dubai'], basis: 'phone_country' });
    expect(recipientZones({})).toEqual({ zones: ['UTC'], basis: 'unknown' });
    expect(recipientZones({ phone: '+999123456789' })).toEqual({ zones: ['UTC'], basis: 'unknown' });
  });

  it("takes the number's own country where a calling code is shared: +1 415 US, +1 416 CA, +7 701 KZ", () => {
    const sanFrancisco = recipientZones({ phone: '+14155550100' });
    expect(sanFrancisco).toEqual({ zones: zonesOfCountry('US'), basis: 'phone_country' });
    expect(sanFrancisco.zones).toEqual(
      expect.arrayContaining(['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu']),
    );
    expect(sanFrancisco.zones).not.toContain('America/St_Johns');

    const toronto = recipientZones({ phone: '+14165550100' });
    expect(toronto.zones).toEqual(expect.arrayContaining(['America/Toronto', 'America/St_Johns', 'America/Vancouver']));
    expect(toronto.zones).not.toContain('Pacific/Honolulu');

    const almaty = recipientZones({ phone: '+77011234567' });
    expect(almaty).toEqual({ zones: zonesOfCountry('KZ'), basis: 'phone_country' });
    expect(almaty.zones).not.toContain('Europe/Moscow');
  });

  it('reads a number written with spaces as the same number', () => {
    expect(recipientZones({ phone: '+371 26 000 000' })).toEqual({ zones: ['Europe/Riga'], basis: 'phone_country' });
  });

  it('a number outside its plan counts for every country of its calling code, when they share a window', () => {
    // +7 000…: no prefix of Russia nor of Kazakhstan, but a number of one of them.
    const plus7 = recipientZones({ phone: '+70001234567' });
    expect(plus7).toEqual({
      zones: [...new Set([...zonesOfCountry('KZ'), ...zonesOfCountry('RU')])],
      basis: 'phone_country',
    });
    // +1 987… (no such area code): the US, Canada, the Caribbean, Guam and American Samoa share no window, so UTC.
    expect(recipientZones({ phone: '+19876543210' })).toEqual({ zones: ['UTC'], basis: 'unknown' });
  });

  it('a shipping country whose zones share no window (across the date line) lets the next clue decide', () => {
    expect(shareAWindow(zonesOfCountry('UM'))).toBe(false);
    expect(recipientZones({ shippingCountry: 'UM', phone: '+37126000000' })).toEqual({
      zones: ['Europe/Riga'],
      basis: 'phone_country',
    });
    expect(recipientZones({ shippingCountry: 'UM' })).toEqual({ zones: ['UTC'], basis: 'unknown' });
  });
});

describe("a country's time zones, from the IANA data", () => {
  it('has the markets we ship to, any case, and none for a code that is no country', () => {
    for (const country of ['LV', 'BG', 'HU', 'AE', 'SA', 'EG', 'US', 'CA', 'AU', 'RU', 'GB', 'DE']) {
      expect({ country, zones: zonesOfCountry(country).length > 0 }).toEqual({ country, zones: true });
    }
    expect(zonesOfCountry('lv')).toEqual(['Europe/Riga']);
    expect(zonesOfCountry('fr')).toEqual(['Europe/Paris']);
    expect(zonesOfCountry('XX')).toEqual([]);
  });

  it("knows every zone of every country in this runtime's time zone data (else quiet hours could not use it)", () => {
    const unknown = countries.flatMap((c) =>
      getCountry(c)!
        .timezones.filter((zone) => !isKnownTimeZone(zone))
        .map((z) => `${c}:${z}`),
    );
    expect(unknown).toEqual([]);
  });

  it('every country it would use has a common window all year, and the answer is the first minute of it', () => {
    const used = countries
      .map((c) => [c, zonesOfCountry(c)] as const)
      .filter(([, zones]) => zones.length && shareAWindow(zones));
    expect(used.length).toBeGreaterThan(240);
    for (const [country, zones] of used) {
      for (let month = 0; month < 12; month += 3) {
        for (const hour of [0, 7, 13, 19]) {
          const now = new Date(Date.UTC(2027, month, 9 + (hour % 5), hour, 17));
          const sent = nextSendTime(now, zones);
          expect({ country, now, inAll: zones.every((z) => isInsideWindow(sent, z)) }).toEqual({
            country,
            now,
            inAll: true,
          });
          if (sent.getTime() > now.getTime()) {
            const aMinuteBefore = new Date(sent.getTime() - 60_000);
            const earlierFits = zones.every((z) => isInsideWindow(aMinuteBefore, z));
            expect({ country, now, earlierFits }).toEqual({ country, now, earlierFits: false });
          }
          expect(sent.getTime() - now.getTime()).toBeLessThan(24 * 3_600_000);
        }
      }
    }
  });
});
