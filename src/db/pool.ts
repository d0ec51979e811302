import { Pool } from 'pg';

/** One pool per process. Callers end it on shutdown. */
export function createPool(databaseUrl: string, max = 10): Pool {
  // A server that does not answer at all fails a request in 3 s (the API answers 503) instead of hanging it.
  const pool = new Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 3_000 });
  // An idle client losing its connection (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (err) =>
    console.error(JSON.stringify({ level: 'error', msg: 'idle PostgreSQL client error', err: err.message })),
  );
  return pool;
}
