/**
 * Records the history of a journey as the current code runs it, for the replay tests:
 *   npx tsx test/replay/record.ts <name>
 * Commit the file it writes under test/replay/histories/ whenever a released workflow version gets a new path, so every
 * later change must still replay it (or be guarded by `patched()`).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { migrate } from '../../src/db/migrate';
import { createPool } from '../../src/db/pool';
import { journeyWorkflowId, orderSchema } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import { journeyQuery } from '../../src/workflows/definitions';
import { anOrder } from '../helpers/fixtures';
import { createTestDatabase } from '../helpers/postgres';
import { journeyActivities, startTimeSkippingEnv, workflowBundle } from '../helpers/temporal';

async function main(name: string): Promise<void> {
  const db = await createTestDatabase();
  await migrate(db.url);
  const pool = createPool(db.url);
  const env = await startTimeSkippingEnv();
  try {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'record',
      workflowBundle: await workflowBundle(),
      activities: journeyActivities(pool),
    });
    const order = orderSchema.parse(anOrder({ orderId: `replay-${name}`, customerId: 'cus-replay' }));
    const handle = await worker.runUntil(async () => {
      const h = await env.client.workflow.start('orderJourney', {
        workflowId: journeyWorkflowId(order.orderId),
        taskQueue: 'record',
        args: [{ order, policy: productionPolicy }],
      });
      while ((await h.query(journeyQuery)).stage === 'confirming') await new Promise((r) => setTimeout(r, 100));
      return h;
    });
    const history = await handle.fetchHistory();
    const file = path.join(__dirname, 'histories', `${name}.json`);
    writeFileSync(file, historyToJSON(history));
    console.log(`wrote ${file} (${history.events?.length} events)`);
  } finally {
    await env.teardown();
    await pool.end();
    await db.stop();
  }
}

main(process.argv[2] ?? 'confirmation-v1').catch((err) => {
  console.error(err);
  process.exit(1);
});
