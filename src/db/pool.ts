import { Pool } from 'pg';

export interface PoolOptions {
  /**
   * Commit without waiting for the disk (`synchronous_commit = off` on every connection): only for rows that may be
   * lost in the last moment before a PostgreSQL crash because they can be rebuilt, written on a hot path. What it saves
   * is a WAL flush per write, which on a shared disk competes with the Temporal server's own database.
   */
  asyncCommit?: boolean;
}

/** One pool per process (and one for best-effort writes, `asyncCommit`). Callers end them on shutdown. */
export function createPool(databaseUrl: string, max = 10, { asyncCommit = false }: PoolOptions = {}): Pool {
  // A server that does not answer at all fails a request in 3 s (the API answers 503) instead of hanging it.
  const pool = new Pool({
    connectionString: databaseUrl,
    max,
    connectionTimeoutMillis: 3_000,
    ...(asyncCommit ? { options: '-c synchronous_commit=off' } : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (err) =>
    console.error(JSON.stringify({ level: 'error', msg: 'idle PostgreSQL client error', err: err.message })),
  );
  return pool;
}
