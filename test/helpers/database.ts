import { createPool } from '../../src/db/pool';

/** A pool on this run's migrated test database (see global-setup.ts). */
export function testPool() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (its global setup creates the database)');
  return createPool(url, 5);
}
