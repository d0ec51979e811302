/**
 * The funnel's cohort notes are committed without waiting for the disk (src/db/async-commit.ts): only their own
 * transaction runs with synchronous_commit off, the row is there afterwards, and a failing write rolls back and gives
 * its connection back in a usable state.
 */
import { Pool } from 'pg';
import { queryWithAsyncCommit } from '../../src/db/async-commit';
import { OrderCohorts } from '../../src/db/order-cohorts';
import { uniqueId } from '../helpers/fixtures';

// One connection: whatever the write leaves behind, the next query on the pool sees it.
const pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 1 });
afterAll(() => pool.end());

const setting = async () =>
  (await pool.query<{ s: string }>(`SELECT current_setting('synchronous_commit') AS s`)).rows[0]!.s;

it('commits its write with synchronous_commit off, and leaves the connection as it was', async () => {
  const before = await setting();
  const [inside] = await queryWithAsyncCommit<{ s: string }>(
    pool,
    `SELECT current_setting('synchronous_commit') AS s`,
    [],
  );
  expect(inside!.s).toBe('off');
  expect(await setting()).toBe(before);
  expect(before).not.toBe('off');
});

it('keeps a cohort noted this way', async () => {
  const orderId = uniqueId('ord');
  await new OrderCohorts(pool).note({
    orderId,
    customerId: uniqueId('cus'),
    locale: 'en',
    placedAt: new Date('2026-12-02T10:00:00Z'),
    skus: ['sku-1'],
  });
  const { rows } = await pool.query(`SELECT locale, skus FROM order_cohorts WHERE order_id = $1`, [orderId]);
  expect(rows).toEqual([{ locale: 'en', skus: ['sku-1'] }]);
});

it('rolls a failing write back and gives back a usable connection', async () => {
  await expect(queryWithAsyncCommit(pool, `SELECT 1 / 0`, [])).rejects.toThrow(/division by zero/);
  expect(await setting()).not.toBe('off');
  expect((await pool.query(`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
});
