/**
 * The frequency cap's reservations in PostgreSQL: one marketing message per customer per 24 hours, even when several
 * journeys ask at the same instant; a retry gets its own slot back; other customers are not affected.
 */
import { MarketingSlots } from '../../src/db/marketing-slots';
import { MARKETING_SPACING_MS } from '../../src/domain/marketing-cap';
import { nextSendTime } from '../../src/domain/quiet-hours';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';

const pool = testPool();
const slots = new MarketingSlots(pool);
afterAll(() => pool.end());

const DAY = 86_400_000;
const due = new Date('2027-06-01T09:00:00Z');
/** Journey ids are unique per order; each test's are made unique with the customer's. */
const ask = (customerId: string, journey: string, step = 'review-request', earliest = due) =>
  slots.reserve({ customerId, journeyId: `${journey}-${customerId}`, step, earliest, spacingMs: MARKETING_SPACING_MS });

describe('marketing slots', () => {
  it('ten journeys of one customer asking at the same instant get ten slots, each a day after the one before', async () => {
    const customerId = uniqueId('cus');
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(customerId, `order-${i}`)));

    const times = answers.map((a) => a.at.getTime()).sort((a, b) => a - b);
    expect(times).toEqual(Array.from({ length: 10 }, (_, i) => due.getTime() + i * DAY));
    expect(await slots.forCustomer(customerId)).toHaveLength(10);
  });

  it('a retry of the same journey step gets the same slot back, even after other journeys reserved theirs', async () => {
    const customerId = uniqueId('cus');
    const first = await ask(customerId, 'order-a');
    await ask(customerId, 'order-b');
    const again = await ask(customerId, 'order-a');
    expect(again).toEqual({ at: first.at, created: false });
    expect(first.created).toBe(true);
  });

  it('other customers are not held back, and a slot fits between two others when they are two days apart', async () => {
    const [anna, berzs] = [uniqueId('cus'), uniqueId('cus')];
    await ask(anna, 'order-1', 'unboxing-tips', new Date(due.getTime() - DAY));
    await ask(anna, 'order-1', 'review-request', new Date(due.getTime() + DAY));
    expect((await ask(anna, 'order-2')).at).toEqual(due); // exactly a day after one and before the other
    expect((await ask(berzs, 'order-3')).at).toEqual(due);
  });

  it('with quiet hours: a message due at night moves to 08:00 local, then past the cap if that is too close', async () => {
    const customerId = uniqueId('cus');
    const fit = (at: Date) => nextSendTime(at, 'Europe/Riga');
    const evening = new Date('2027-06-01T17:30:00Z'); // 20:30 in Riga
    const first = await slots.reserve({
      customerId,
      journeyId: `order-a-${customerId}`,
      step: 'review-request',
      earliest: evening,
      spacingMs: MARKETING_SPACING_MS,
      fit,
    });
    const second = await slots.reserve({
      customerId,
      journeyId: `order-b-${customerId}`,
      step: 'review-request',
      earliest: new Date(evening.getTime() + 3_600_000),
      spacingMs: MARKETING_SPACING_MS,
      fit,
    });
    expect(first.at).toEqual(evening);
    expect(second.at).toEqual(new Date('2027-06-02T17:30:00Z')); // 24 h later is 20:30 again: inside the window
    // Due 23:00 local on the 2nd → 08:00 on the 3rd, only 11.5 h after the second → 20:30 on the 3rd.
    const third = await slots.reserve({
      customerId,
      journeyId: `order-c-${customerId}`,
      step: 'review-request',
      earliest: new Date('2027-06-02T20:00:00Z'),
      spacingMs: MARKETING_SPACING_MS,
      fit,
    });
    expect(third.at).toEqual(new Date('2027-06-03T17:30:00Z'));
  });
});
