/**
 * The API writes the funnel's cohort notes through a pool that commits without waiting for the disk (src/db/pool.ts,
 * `asyncCommit`): its connections run with synchronous_commit off, the notes are kept, and the main pool's
 * connections — the ledger's — still wait for the disk.
 */
import { createPool } from '../../src/db/pool';
import { OrderCohorts } from '../../src/db/order-cohorts';
import { uniqueId } from '../helpers/fixtures';

const notesPool = createPool(process.env.TEST_DATABASE_URL!, 1, { asyncCommit: true });
const mainPool = createPool(process.env.TEST_DATABASE_URL!, 1);
afterAll(() => Promise.all([notesPool.end(), mainPool.end()]));

const synchronousCommit = async (pool: typeof mainPool) =>
  (await pool.query<{ s: string }>(`SELECT current_setting('synchronous_commit') AS s`)).rows[0]!.s;

it('commits without waiting for the disk on the notes pool only', async () => {
  expect(await synchronousCommit(notesPool)).toBe('off');
  expect(await synchronousCommit(mainPool)).not.toBe('off');
});

it('keeps a cohort noted through it', async () => {
  const orderId = uniqueId('ord');
  await new OrderCohorts(notesPool).note({
    orderId,
    customerId: uniqueId('cus'),
    locale: 'en',
    placedAt: new Date('2026-12-02T10:00:00Z'),
    skus: ['sku-1'],
  });
  const { rows } = await mainPool.query(`SELECT locale, skus FROM order_cohorts WHERE order_id = $1`, [orderId]);
  expect(rows).toEqual([{ locale: 'en', skus: ['sku-1'] }]);
});
