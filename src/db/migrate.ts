/**
 * Applies the versioned SQL migrations in src/db/migrations with node-pg-migrate (under an advisory lock, so two
 * processes starting together do not race). node-pg-migrate is an ES module; Node ≥ 20.19 loads it with require().
 */
import path from 'node:path';
import { runner } from 'node-pg-migrate';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

export async function migrate(databaseUrl: string, log: (msg: string) => void = () => {}): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    singleTransaction: true,
    log,
  });
  return applied.map((m) => m.name);
}
