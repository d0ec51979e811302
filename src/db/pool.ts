import { Pool } from 'pg';

/** One pool per process. Callers end it on shutdown. */
export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max });
  // An idle client losing its connection (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (err) => console.error(JSON.stringify({ level: 'error', msg: 'idle PostgreSQL client error', err: err.message })));
  return pool;
}
