/** Once per test run: a fresh, migrated database; its URL reaches every test file as TEST_DATABASE_URL. */
import { migrate } from '../../src/db/migrate';
import { createTestDatabase } from './postgres';

export default async function globalSetup(): Promise<void> {
  const db = await createTestDatabase();
  await migrate(db.url);
  process.env.TEST_DATABASE_URL = db.url;
  (globalThis as { __testDatabase?: typeof db }).__testDatabase = db;
}
