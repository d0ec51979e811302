/**
 * Records journey histories as the current code runs them, for the replay tests:
 *   npx tsx test/replay/record.ts <scenario> [file-name]
 * Scenarios: `confirmation` (stops once confirmed), `happy-path` (shipped, six carrier updates, runs to completion),
 * `cancelled`. Commit what it writes under test/replay/histories/ whenever a released workflow gets a new path, so every
 * later change must still replay it (or be guarded by `patched()`).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { migrate } from '../../src/db/migrate';
import { createPool } from '../../src/db/pool';
import { journeyWorkflowId, orderSchema } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import { addShipmentUpdate, cancelOrderUpdate, journeyQuery, trackingEventSignal } from '../../src/workflows/definitions';
import { anOrder } from '../helpers/fixtures';
import { createTestDatabase } from '../helpers/postgres';
import { createTestWorker, journeyActivities, startTimeSkippingEnv } from '../helpers/temporal';

type Scenario = (env: TestWorkflowEnvironment, handle: WorkflowHandle) => Promise<void>;

const HOUR = 3_600_000;
const untilConfirmed = async (handle: WorkflowHandle) => {
  while ((await handle.query(journeyQuery)).stage === 'confirming') await new Promise((r) => setTimeout(r, 100));
};

const scenarios: Record<string, Scenario> = {
  confirmation: async (_env, handle) => untilConfirmed(handle),
  'happy-path': async (env, handle) => {
    await untilConfirmed(handle);
    const { items } = await handle.query(journeyQuery);
    await handle.executeUpdate(addShipmentUpdate, { args: [{ carrier: 'ups', trackingNumber: '1ZREPLAY1', items }] });
    for (const status of ['label_created', 'in_transit', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered'] as const) {
      await env.sleep(4 * HOUR);
      await handle.signal(trackingEventSignal, { trackingNumber: '1ZREPLAY1', status, occurredAt: new Date(await env.currentTimeMs()).toISOString() });
    }
    await handle.result();
  },
  cancelled: async (_env, handle) => {
    await untilConfirmed(handle);
    await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'recorded for replay' }] });
    await handle.result();
  },
};

async function main(scenarioName: string, fileName: string): Promise<void> {
  const scenario = scenarios[scenarioName];
  if (!scenario) throw new Error(`unknown scenario ${scenarioName}; one of ${Object.keys(scenarios).join(', ')}`);
  const db = await createTestDatabase();
  await migrate(db.url);
  const pool = createPool(db.url);
  const env = await startTimeSkippingEnv();
  try {
    const worker = await createTestWorker(env, 'record', journeyActivities(pool)); // journey, email and SMS queues
    const order = orderSchema.parse(anOrder({ orderId: `replay-${fileName}`, customerId: 'cus-replay' }));
    const handle = await worker.runUntil(async () => {
      const h = await env.client.workflow.start('orderJourney', {
        workflowId: journeyWorkflowId(order.orderId),
        taskQueue: 'record',
        args: [{ order, policy: productionPolicy }],
      });
      await scenario(env, h);
      return h;
    });
    const history = await handle.fetchHistory();
    const file = path.join(__dirname, 'histories', `${fileName}.json`);
    writeFileSync(file, historyToJSON(history));
    console.log(`wrote ${file} (${history.events?.length} events)`);
  } finally {
    await env.teardown();
    await pool.end();
    await db.stop();
  }
}

const [scenarioName = 'confirmation', fileName = `${scenarioName}-v2`] = process.argv.slice(2);
main(scenarioName, fileName).catch((err) => {
  console.error(err);
  process.exit(1);
});
