/**
 * Writes the journey workflows' bundle for a built worker (src/temporal/workflow-bundle.ts): `npm run build` runs it
 * as `node dist/bundle-workflows.js`, which writes dist/workflow-bundle.js. An optional argument names another file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleJourneyWorkflows, WORKFLOW_BUNDLE_FILE } from './temporal/workflow-bundle';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, WORKFLOW_BUNDLE_FILE));
  const { code } = await bundleJourneyWorkflows();
  writeFileSync(out, code);
  console.log(`workflow bundle written to ${out} (${Math.round(code.length / 1024)} KB)`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`Bundling the workflows failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
