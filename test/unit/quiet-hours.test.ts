/**
 * Quiet hours: when a message that can wait may reach the customer, in their local time, across daylight-saving
 * changes, and in the strictest window when we only know the country.
 */
import { DEFAULT_SEND_WINDOW, isInsideWindow, localTime, nextSendTime } from '../../src/domain/quiet-hours';
import { zonesOfCountry } from '../../src/domain/recipient-zones';

const at = (iso: string) => new Date(iso);
const next = (iso: string, zones: string | string[], window = DEFAULT_SEND_WINDOW) =>
  nextSendTime(at(iso), zones, window).toISOString();
const RIGA = 'Europe/Riga';
const NEW_YORK = 'America/New_York';

describe('quiet hours in one time zone (08:00–21:00)', () => {
  it('sends at once inside the window, including exactly at 08:00 and just before 21:00', () => {
    expect(next('2027-01-15T10:00:00.000Z', RIGA)).toBe('2027-01-15T10:00:00.000Z'); // 12:00 in Riga
    expect(next('2027-01-15T06:00:00.000Z', RIGA)).toBe('2027-01-15T06:00:00.000Z'); // 08:00
    expect(next('2027-01-15T18:59:59.999Z', RIGA)).toBe('2027-01-15T18:59:59.999Z'); // 20:59:59.999
  });

  it('waits until 08:00 local: late in the evening to the next morning, early in the morning to the same morning', () => {
    expect(next('2027-01-15T19:00:00.000Z', RIGA)).toBe('2027-01-16T06:00:00.000Z'); // 21:00 is already quiet
    expect(next('2027-01-15T21:30:00.000Z', RIGA)).toBe('2027-01-16T06:00:00.000Z'); // 23:30
    expect(next('2027-01-15T22:30:00.000Z', RIGA)).toBe('2027-01-16T06:00:00.000Z'); // 00:30, already the next day locally
    expect(next('2027-01-16T04:00:00.000Z', RIGA)).toBe('2027-01-16T06:00:00.000Z'); // 06:00
  });

  it('in summer time as well (Riga is UTC+3 in July)', () => {
    expect(next('2027-07-10T20:30:00.000Z', RIGA)).toBe('2027-07-11T05:00:00.000Z');
    expect(localTime(at('2027-07-11T05:00:00.000Z'), RIGA)).toBe('08:00');
  });

  it('across the EU change to summer time (last Sunday of March): 23:30 EET on Saturday → 08:00 EEST on Sunday', () => {
    const sent = nextSendTime(at('2027-03-27T21:30:00.000Z'), RIGA);
    expect(localTime(at('2027-03-27T21:30:00.000Z'), RIGA)).toBe('23:30');
    expect(sent.toISOString()).toBe('2027-03-28T05:00:00.000Z'); // UTC+3 now: the night was one hour shorter
    expect(localTime(sent, RIGA)).toBe('08:00');
  });

  it('across the EU change back (last Sunday of October): 23:30 EEST on Saturday → 08:00 EET on Sunday', () => {
    const sent = nextSendTime(at('2027-10-30T20:30:00.000Z'), RIGA);
    expect(localTime(at('2027-10-30T20:30:00.000Z'), RIGA)).toBe('23:30');
    expect(sent.toISOString()).toBe('2027-10-31T06:00:00.000Z'); // UTC+2 again: one hour longer
    expect(localTime(sent, RIGA)).toBe('08:00');
  });

  it('across the US changes (second Sunday of March, first Sunday of November) in New York', () => {
    expect(next('2027-03-14T04:30:00.000Z', NEW_YORK)).toBe('2027-03-14T12:00:00.000Z'); // 23:30 EST → 08:00 EDT
    expect(next('2027-11-07T03:30:00.000Z', NEW_YORK)).toBe('2027-11-07T13:00:00.000Z'); // 23:30 EDT → 08:00 EST
    expect(localTime(at('2027-11-07T13:00:00.000Z'), NEW_YORK)).toBe('08:00');
  });

  it('a window opening inside the hour the clocks skip opens when they jump; inside the repeated hour, the first time', () => {
    const early = { start: '03:30', end: '21:00' };
    // 28 March 2027 in Riga: 03:00 EET jumps to 04:00 EEST at 01:00 UTC, so 03:30 never happens.
    expect(next('2027-03-27T23:00:00.000Z', RIGA, early)).toBe('2027-03-28T01:00:00.000Z');
    // 31 October 2027: 03:00–04:00 happens twice (EEST, then EET); the window opens the first time.
    expect(next('2027-10-30T20:00:00.000Z', RIGA, early)).toBe('2027-10-31T00:30:00.000Z');
  });

  it('takes windows of any shape: one that runs past midnight, one that ends at 24:00', () => {
    expect(next('2027-01-15T12:00:00.000Z', 'UTC', { start: '22:00', end: '06:00' })).toBe('2027-01-15T22:00:00.000Z');
    expect(next('2027-01-16T03:00:00.000Z', 'UTC', { start: '22:00', end: '06:00' })).toBe('2027-01-16T03:00:00.000Z');
    expect(next('2027-01-15T23:59:00.000Z', 'UTC', { start: '08:00', end: '24:00' })).toBe('2027-01-15T23:59:00.000Z');
    expect(() => nextSendTime(new Date(), 'UTC', { start: '8am', end: '21:00' })).toThrow(/"8am" is not a time of day/);
  });
});

describe('quiet hours against a minute-by-minute scan', () => {
  /** The slow, obviously right answer: the first whole minute (or now) inside the window in every zone. */
  function scan(now: Date, zones: string[], window = DEFAULT_SEND_WINDOW): Date {
    if (zones.every((z) => isInsideWindow(now, z, window))) return now;
    for (let t = Math.ceil(now.getTime() / 60_000) * 60_000; ; t += 60_000) {
      if (zones.every((z) => isInsideWindow(new Date(t), z, window))) return new Date(t);
    }
  }

  // Half-hour and 45-minute offsets, a 30-minute DST shift (Lord Howe), southern-hemisphere DST, no DST at all.
  const zones = [
    'Europe/Riga',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'America/St_Johns',
    'Asia/Dubai',
  ];
  // Deterministic pseudo-random instants through 2027, denser around the EU and US changes.
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const instants = [
    ...Array.from({ length: 60 }, () => Date.UTC(2027, 0, 1) + Math.floor(random() * 365 * 86_400_000)),
    ...Array.from({ length: 20 }, () => Date.UTC(2027, 2, 27) + Math.floor(random() * 2 * 86_400_000)),
    ...Array.from({ length: 20 }, () => Date.UTC(2027, 9, 30) + Math.floor(random() * 2 * 86_400_000)),
    ...Array.from({ length: 10 }, () => Date.UTC(2027, 2, 13) + Math.floor(random() * 2 * 86_400_000)),
  ];

  it.each(zones)('%s: the same answer as the scan, at 110 instants of 2027', (zone) => {
    for (const ms of instants) {
      const now = new Date(ms);
      expect({ now, sent: nextSendTime(now, zone).toISOString() }).toEqual({
        now,
        sent: scan(now, [zone]).toISOString(),
      });
    }
  });
});

describe('quiet hours when only the country is known: the strictest window across its zones', () => {
  it('United States: from 08:00 in Honolulu to 21:00 in New York', () => {
    const us = zonesOfCountry('US');
    expect(next('2027-01-15T12:00:00.000Z', us)).toBe('2027-01-15T18:00:00.000Z'); // 08:00 HST = 13:00 EST
    expect(next('2027-01-16T01:59:00.000Z', us)).toBe('2027-01-16T01:59:00.000Z'); // 20:59 in New York
    expect(next('2027-01-16T02:00:00.000Z', us)).toBe('2027-01-16T18:00:00.000Z'); // 21:00 in New York
    expect(next('2027-07-16T01:30:00.000Z', us)).toBe('2027-07-16T18:00:00.000Z'); // 21:30 EDT: New York is quiet
  });

  it('Russia: from 08:00 in Kaliningrad to 21:00 in Kamchatka, three hours a day', () => {
    const ru = zonesOfCountry('RU');
    expect(next('2027-01-15T10:00:00.000Z', ru)).toBe('2027-01-16T06:00:00.000Z');
    expect(next('2027-01-16T08:59:00.000Z', ru)).toBe('2027-01-16T08:59:00.000Z');
  });

  it('zones that share no window fall back to the first zone alone: deferred, never dropped', () => {
    const sent = nextSendTime(at('2027-01-15T12:00:00.000Z'), ['Pacific/Honolulu', 'Asia/Kamchatka']);
    expect(isInsideWindow(sent, 'Pacific/Honolulu')).toBe(true);
  });
});
