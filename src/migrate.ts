/**
 * The migration process of a built image (`node dist/migrate.js`, the compose stack's one-shot `migrate` job): applies
 * pending migrations to DATABASE_URL, names them, and exits. From a checkout, `npm run migrate` does the same.
 */
import { loadConfigOrExit } from './config';
import { migrate } from './db/migrate';
import { createLogger } from './logger';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ name: 'migrate', level: config.observability.logLevel });
  const applied = await migrate(config.databaseUrl);
  logger.info(
    { applied },
    applied.length ? `applied ${applied.length} migration(s)` : 'nothing to apply: the schema is up to date',
  );
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
