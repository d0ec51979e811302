/**
 * The funnel from checkout on, on the Temporal dev server: POST /v1/orders notes the order's cohort, the journey's
 * real worker sends the confirmation through the outbox provider, and GET /v1/reports/funnel counts those messages in
 * the order's week and locale. The order's locale is its own (a private-use tag), so other tests' orders of the same
 * day stay out of its cohort.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { productionPolicy } from '../../src/domain/policy';
import { eventually, startApiWorld, TEST_KEYS, type ApiWorld } from '../helpers/api-world';
import { anOrder } from '../helpers/fixtures';

let world: ApiWorld;

beforeAll(async () => {
  world = await startApiWorld('funnel-e2e-test', productionPolicy);
}, 120_000);

afterAll(() => world?.stop());

it("counts the journey's messages in the cohort checkout gave the order", async () => {
  const locale = `lv-LV-x-${randomBytes(4).toString('hex')}`;
  const order = anOrder({ locale });
  await request(world.app).post('/v1/orders').set('Authorization', TEST_KEYS.checkout).send(order).expect(201);
  // The same order again (checkout retries): the cohort stays as first noted.
  await request(world.app).post('/v1/orders').set('Authorization', TEST_KEYS.checkout).send(order).expect(200);

  // Noted after the answer: the order does not wait for the database.
  const cohorts = await eventually(async () => {
    const { rows } = await world.pool.query(
      `SELECT customer_id, locale, placed_at, skus FROM order_cohorts WHERE order_id = $1`,
      [order.orderId],
    );
    return rows.length ? rows : undefined;
  }, "the order's cohort");
  expect(cohorts).toEqual([
    {
      customer_id: order.customerId,
      locale: locale.toLowerCase(),
      placed_at: new Date(order.placedAt),
      skus: ['SERUM-30', 'TOWEL-01'],
    },
  ]);

  const mine = await eventually(async () => {
    const res = await request(world.app)
      .get('/v1/reports/funnel?from=2026-11-20&to=2026-11-20&groupBy=week,locale,channel,messageType')
      .set('Authorization', TEST_KEYS.support)
      .expect(200);
    const rows = res.body.rows.filter((r: { cohort: { locale: string } }) => r.cohort.locale === locale.toLowerCase());
    return rows.length === 2 ? rows : undefined;
  }, 'both confirmations in the report');
  const counts = { delivered: 0, opened: 0, clicked: 0, reviewed: 0, reordered: 0, returned: 0, cancelled: 0 };
  const cohort = { week: '2026-11-16', locale: locale.toLowerCase(), messageType: 'confirmation' };
  expect(mine).toEqual([
    { cohort: { ...cohort, channel: 'email' }, sent: 1, ...counts, averageRating: null },
    { cohort: { ...cohort, channel: 'sms' }, sent: 1, ...counts, averageRating: null },
  ]);
}, 120_000);
