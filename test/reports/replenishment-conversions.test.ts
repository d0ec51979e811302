/**
 * "Reordered": a replenishment reminder is converted by the customer's next order of the item placed after it and
 * before the chain's next reminder. The report (GET /v1/reports/funnel) and the counter's query (at POST /v1/orders)
 * apply the same rule; a reminder sent on email and SMS is two messages of one reminder.
 */
import request from 'supertest';
import { ReplenishmentConversions } from '../../src/db/replenishment-conversions';
import { testPool } from '../helpers/database';
import { FunnelSeed } from './funnel-seed';
import { reportApp, SUPPORT } from './report-app';

const pool = testPool();
const app = reportApp(pool);
const seed = new FunnelSeed(pool);
const conversions = new ReplenishmentConversions(pool);
afterAll(() => pool.end());

const customer = seed.id('cus-rita');
const sku = seed.id('sku-filter');
const order = (name: string, placedAt: string) => ({
  orderId: seed.id(name),
  customerId: customer,
  locale: 'en',
  placedAt: new Date(placedAt),
  skus: [sku],
});

beforeAll(async () => {
  const first = order('ord-first', '2019-06-01T09:00:00Z');
  await seed.cohort(first.orderId, customer, 'en', '2019-06-01T09:00:00Z', [sku]);
  const reminder = (step: string, channel: 'email' | 'sms', sentAt: string) =>
    seed.message({
      orderId: first.orderId,
      journeyId: `replenish-${customer}-${sku}`,
      step,
      channel,
      messageType: 'replenishment_reminder',
      status: 'delivered',
      sentAt,
    });
  await reminder('chain-r:reminder-1', 'email', '2019-06-03T10:00:00Z');
  await reminder('chain-r:reminder-1', 'sms', '2019-06-03T10:01:00Z');
  await reminder('chain-r:reminder-2', 'email', '2019-06-10T10:00:00Z');
});

it("credits a new order to the chain's latest reminder before it, each channel, once", async () => {
  const reorder = order('ord-reorder', '2019-06-05T09:00:00Z');
  expect((await conversions.convertedBy(reorder)).sort()).toEqual(['email', 'sms']);
  await seed.cohort(reorder.orderId, customer, 'en', '2019-06-05T09:00:00Z', [sku]);

  // A second order before the next reminder converts nothing more: the reminder is converted already.
  expect(await conversions.convertedBy(order('ord-again', '2019-06-07T09:00:00Z'))).toEqual([]);
  // An order before any reminder converts nothing.
  expect(await conversions.convertedBy(order('ord-early', '2019-06-02T09:00:00Z'))).toEqual([]);

  const after = order('ord-after-second', '2019-06-12T09:00:00Z');
  expect(await conversions.convertedBy(after)).toEqual(['email']);
  await seed.cohort(after.orderId, customer, 'en', '2019-06-12T09:00:00Z', [sku]);

  // The report counts the same three reminder messages as reordered, in the first order's cohort.
  const res = await request(app)
    .get('/v1/reports/funnel?from=2019-06-01&to=2019-06-01&groupBy=channel,messageType')
    .set('Authorization', SUPPORT)
    .expect(200);
  expect(
    res.body.rows.map((r: { cohort: object; sent: number; reordered: number }) => [r.cohort, r.sent, r.reordered]),
  ).toEqual([
    [{ channel: 'email', messageType: 'replenishment_reminder' }, 2, 2],
    [{ channel: 'sms', messageType: 'replenishment_reminder' }, 1, 1],
  ]);
});

it('notes a new order and answers what it converts in one statement; the same order again converts nothing', async () => {
  const other = seed.id('cus-noted');
  const chainSku = seed.id('sku-noted');
  await seed.cohort(seed.id('ord-noted-first'), other, 'lv', '2019-07-01T09:00:00Z', [chainSku]);
  await seed.message({
    orderId: seed.id('ord-noted-first'),
    journeyId: `replenish-${other}-${chainSku}`,
    step: 'chain-n:reminder-1',
    channel: 'email',
    messageType: 'replenishment_reminder',
    status: 'sent',
    sentAt: '2019-07-03T10:00:00Z',
  });
  const reorder = {
    orderId: seed.id('ord-noted-reorder'),
    customerId: other,
    locale: 'lv',
    placedAt: new Date('2019-07-05T09:00:00Z'),
    skus: [chainSku],
  };
  expect(await conversions.noteAndConvert(reorder)).toEqual(['email']);
  const { rows } = await pool.query('SELECT locale, skus FROM order_cohorts WHERE order_id = $1', [reorder.orderId]);
  expect(rows).toEqual([{ locale: 'lv', skus: [chainSku] }]);
  expect(await conversions.noteAndConvert(reorder)).toEqual([]);
});

describe('notes that arrive together (group commit)', () => {
  const chainOf = async (name: string) => {
    const customerId = seed.id(`cus-${name}`);
    const chainSku = seed.id(`sku-${name}`);
    await seed.message({
      orderId: seed.id(`ord-${name}-first`),
      journeyId: `replenish-${customerId}-${chainSku}`,
      step: `chain-${name}:reminder-1`,
      channel: 'email',
      messageType: 'replenishment_reminder',
      status: 'sent',
      sentAt: '2019-08-03T10:00:00Z',
    });
    return (orderName: string, placedAt: string) => ({
      orderId: seed.id(`ord-${name}-${orderName}`),
      customerId,
      locale: 'en',
      placedAt: new Date(placedAt),
      skus: [chainSku],
    });
  };

  it('credits a reminder to the earlier of two reorders in one statement, and a repeated order once', async () => {
    const reorder = await chainOf('batch');
    const earlier = reorder('a', '2019-08-05T09:00:00Z');
    const later = reorder('b', '2019-08-06T09:00:00Z');
    // Listed later first: the statement orders them by when they were placed, not by the list.
    expect(await conversions.noteAndConvertMany([later, earlier, earlier])).toEqual([[], ['email'], []]);
    const { rows } = await pool.query('SELECT order_id FROM order_cohorts WHERE order_id = ANY ($1) ORDER BY 1', [
      [earlier.orderId, later.orderId],
    ]);
    expect(rows).toHaveLength(2);
    expect(await conversions.noteAndConvertMany([earlier])).toEqual([[]]); // noted before: converts nothing again
  });

  it('answers every note from fewer statements than notes when they arrive while one is in flight', async () => {
    const reorders = await Promise.all(['x', 'y', 'z'].map((n) => chainOf(`group-${n}`)));
    const grouped = new ReplenishmentConversions(pool);
    const statements = jest.spyOn(pool, 'query');
    try {
      const orders = reorders.flatMap((reorder) => [
        reorder('1', '2019-08-05T09:00:00Z'),
        reorder('2', '2019-08-07T09:00:00Z'),
      ]);
      const answers = await Promise.all(orders.map((o) => grouped.noteAndConvert(o)));
      expect(answers).toEqual([['email'], [], ['email'], [], ['email'], []]);
      expect(statements.mock.calls.length).toBeLessThan(orders.length);
    } finally {
      statements.mockRestore();
    }
  });

  it('fails every note of a statement that fails, and answers the notes after it', async () => {
    const reorder = await chainOf('after-failure');
    const grouped = new ReplenishmentConversions(pool);
    const broken = { ...reorder('bad', '2019-08-05T09:00:00Z'), placedAt: new Date(Number.NaN) };
    const together = [grouped.noteAndConvert(broken), grouped.noteAndConvert(reorder('fine', '2019-08-05T10:00:00Z'))];
    for (const note of together) await expect(note).rejects.toThrow();
    await expect(grouped.noteAndConvert(reorder('later', '2019-08-05T11:00:00Z'))).resolves.toEqual(['email']);
  });
});
