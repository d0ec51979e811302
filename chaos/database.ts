/**
 * A fresh database for one chaos run (the stack migrates it with the service's own migration process) on the PostgreSQL
 * server named by DATABASE_URL (default: the local server), dropped at the end unless asked to keep it.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ChaosDatabase {
  /** The run's own database, directly (the suite reads the ledger through this, never through the proxy). */
  url: string;
  name: string;
  host: string;
  port: number;
  /** The same database reached through a proxy on `port` (what the API and the worker get). */
  urlVia(port: number): string;
  drop(): Promise<void>;
}

export async function createChaosDatabase(
  serverUrl: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
): Promise<ChaosDatabase> {
  const name = `oj_chaos_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = withPath(serverUrl, name);
  const parsed = new URL(url);
  return {
    url,
    name,
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    urlVia: (port) => {
      const via = new URL(url);
      via.hostname = '127.0.0.1';
      via.port = String(port);
      return via.toString();
    },
    drop: () =>
      withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

function withPath(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
