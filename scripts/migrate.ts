/** `npm run migrate`: applies pending migrations to DATABASE_URL and names them. */
import { loadConfigOrExit } from '../src/config';
import { migrate } from '../src/db/migrate';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const applied = await migrate(config.databaseUrl);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join('\n')}`
      : 'Nothing to apply: the schema is up to date.',
  );
}

main().catch((err) => {
  console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
