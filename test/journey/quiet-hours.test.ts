/**
 * Quiet hours in running journeys, on the time-skipping server: a review request due at 23:30 in Riga goes out at 08:00
 * Riga time, also on the nights the clocks change; urgent SMS go at any hour, a refund SMS waits for the morning.
 *
 * Workflow time is moved to chosen dates first (nothing else runs in this file's server), so the local times are exact.
 * Tests run in order: time only moves forward.
 */
import { TEST_DATA_CONVERTER } from '../helpers/temporal';
import { localTime } from '../../src/domain/quiet-hours';
import type { JourneyView } from '../../src/workflows/journey-state';
import { outcomes } from '../helpers/consent-harness';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';

const RIGA = 'Europe/Riga';
const MINUTE = 60_000;

let world: JourneyWorld;
beforeAll(async () => {
  world = await startJourneyWorld();
});
afterAll(() => world?.stop());

/** Moves workflow time to `iso` (the server starts at the real time, months before these dates). */
async function travelTo(iso: string): Promise<void> {
  const ms = Date.parse(iso) - (await world.env.currentTimeMs());
  if (ms < 0) throw new Error(`already past ${iso}`);
  await world.env.sleep(ms);
}

const lamp = { items: [{ sku: 'LAMP-01', name: 'Desk lamp', quantity: 1, unitPrice: '39.00' }], total: '39.00' };

/** An order delivered (by the carrier's scan) at `deliveredAt`, its journey running just after. */
async function deliveredAt(deliveredIso: string) {
  await travelTo(new Date(Date.parse(deliveredIso) + 30 * MINUTE).toISOString());
  const story = await OrderStory.place(world, {
    channels: ['email', 'sms'],
    timeZone: RIGA,
    ...lamp,
    placedAt: new Date(Date.parse(deliveredIso) - 2 * DAY).toISOString(),
  });
  const trackingNumber = `QH${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.carrierSays(trackingNumber, 'delivered', { occurredAt: new Date(deliveredIso) });
  await story.until((v) => v.deliveredAt === new Date(deliveredIso).toISOString(), 'delivered at the scan time');
  return story;
}

const sentAt = (view: JourneyView, messageType: string, channel = 'email') => {
  const message = view.messages.find((m) => m.messageType === messageType && m.channel === channel);
  if (!message) throw new Error(`no ${messageType} ${channel} in ${JSON.stringify(view.messages)}`);
  return new Date(message.at);
};

describe('quiet hours', () => {
  it('a review request due at 23:30 in Riga on the night the clocks go forward goes out at 08:00 summer time', async () => {
    // Delivered Wednesday 17 March 2027, 23:30 EET: the request is due ten days later, Saturday 27 March 23:30 EET —
    // the night before the last Sunday of March, when Riga moves from UTC+2 to UTC+3.
    const story = await deliveredAt('2027-03-17T21:30:00Z');
    const due = new Date('2027-03-27T21:30:00Z');
    expect(localTime(due, RIGA)).toBe('23:30');

    await story.finish();
    const view = await story.view();
    for (const channel of ['email', 'sms']) {
      const sent = sentAt(view, 'review_request', channel);
      expect({
        channel,
        sent: sent.getTime() - Date.parse('2027-03-28T05:00:00Z') < MINUTE && sent >= new Date('2027-03-28T05:00:00Z'),
      }).toEqual({ channel, sent: true });
      expect(localTime(sent, RIGA)).toBe('08:00'); // 05:00 UTC: the night was an hour shorter
    }
    expect(view.timeline.map((t) => t.event)).toContain(
      'review request deferred to 2027-03-28T05:00:00.000Z (quiet hours: wait until 08:00 local)',
    );
    // The tips were due at 23:30 too (two days after delivery) and waited as well; the delivery SMS went at once.
    expect(localTime(sentAt(view, 'unboxing_tips'), RIGA)).toBe('08:00');
    expect(localTime(sentAt(view, 'delivered', 'sms'), RIGA)).toBe('00:00');
    expect(outcomes(view, 'review_request')).toEqual({ email: 'sent', sms: 'sent' });
  });

  it('and on the night they go back (last Sunday of October): 23:30 summer time → 08:00 winter time', async () => {
    const story = await deliveredAt('2027-10-20T20:30:00Z'); // Wednesday 23:30 EEST; due Saturday 30 October 23:30 EEST
    expect(localTime(new Date('2027-10-30T20:30:00Z'), RIGA)).toBe('23:30');

    await story.finish();
    const view = await story.view();
    const sent = sentAt(view, 'review_request');
    expect(sent.getTime() - Date.parse('2027-10-31T06:00:00Z')).toBeGreaterThanOrEqual(0);
    expect(sent.getTime() - Date.parse('2027-10-31T06:00:00Z')).toBeLessThan(MINUTE);
    expect(localTime(sent, RIGA)).toBe('08:00'); // 06:00 UTC: an hour longer
    expect(sentAt(view, 'review_reminder').getTime() - sent.getTime()).toBeGreaterThanOrEqual(5 * DAY); // counted from when it went
  });

  it('a refund confirmed at 02:00 is emailed at once; its SMS waits until 08:00 (a return accepted at night is texted at once)', async () => {
    // The first 1 December still ahead: earlier stories' customers keep lifecycle timers (a win-back 90 days after
    // their order), and the test server may skip to one of them right after a journey it was awaiting completed.
    const now = new Date(await world.env.currentTimeMs());
    const year = now.getUTCFullYear() + (now < new Date(Date.UTC(now.getUTCFullYear(), 10, 30)) ? 0 : 1);
    const story = await deliveredAt(`${year}-12-01T10:00:00Z`);
    await travelTo(`${year}-12-03T00:00:00Z`); // 02:00 in Riga
    const { rmaId } = await story.requestReturn([{ sku: 'LAMP-01', quantity: 1 }]);
    await story.until(
      (v) => v.messages.some((m) => m.messageType === 'return_accepted' && m.channel === 'sms'),
      'return accepted',
    );
    await story.ship({ trackingNumber: 'QHRETURN1', rmaId, items: [{ sku: 'LAMP-01', quantity: 1 }] });
    await story.carrierSays('QHRETURN1', 'delivered');
    await story.until((v) => v.messages.some((m) => m.messageType === 'refund_confirmed'), 'refund confirmed');

    let view = await story.view();
    expect(localTime(sentAt(view, 'return_accepted', 'sms'), RIGA)).toBe('02:00');
    expect(localTime(sentAt(view, 'refund_confirmed', 'email'), RIGA)).toBe('02:00');
    expect(view.plan).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ step: `send:return:${rmaId}:refund:sms`, dueAt: `${year}-12-03T06:00:00.000Z` }),
      ]),
    );

    await story.finish();
    view = await story.view();
    expect(sentAt(view, 'refund_confirmed', 'sms').getTime() - Date.parse(`${year}-12-03T06:00:00Z`)).toBeLessThan(
      MINUTE,
    );
    expect(localTime(sentAt(view, 'refund_confirmed', 'sms'), RIGA)).toBe('08:00');

    // The decision came from the worker and is in history: a replay never asks its own time-zone data.
    const history = await story.handle.fetchHistory();
    const decisionIds = new Set(
      history
        .events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'quietHoursEnd')
        .map((e) => String(e.eventId)),
    );
    const decisions = history.events!.filter((e) =>
      decisionIds.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)),
    );
    const recorded = await Promise.all(
      decisions.map((e) =>
        TEST_DATA_CONVERTER.payloadCodecs![0]!.decode(e.activityTaskCompletedEventAttributes!.result!.payloads!),
      ),
    );
    const texts = recorded.flat().map((p) => Buffer.from(p.data!).toString());
    expect(texts).toEqual(expect.arrayContaining([expect.stringContaining(`"sendAt":"${year}-12-03T06:00:00.000Z"`)]));
  });
});
