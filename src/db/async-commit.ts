/**
 * A write whose commit need not wait for the disk (`synchronous_commit = off` for its transaction only): for rows that
 * can be rebuilt or may be lost in the last ~second before a PostgreSQL crash, written on a hot path. What it saves is
 * a WAL flush per write — on a machine where the Temporal server's own database shares the disk, that flush per order
 * cost P1 (the start benchmark) about a tenth of its throughput (docs/capacity.md).
 */
import type { Pool, QueryResultRow } from 'pg';

export async function queryWithAsyncCommit<R extends QueryResultRow>(
  pool: Pool,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL synchronous_commit = off');
    const { rows } = await client.query<R>(text, values);
    await client.query('COMMIT');
    return rows;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
