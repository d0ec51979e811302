import type { TestDatabase } from './postgres';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __testDatabase?: TestDatabase }).__testDatabase?.stop();
}
