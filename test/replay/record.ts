/**
 * Records journey histories as the current code runs them, for the replay tests:
 *   npx tsx test/replay/record.ts <scenario> [file-name]
 * Scenarios: `confirmation` (stops once confirmed), `happy-path` (shipped, six carrier updates, runs to completion),
 * `cancelled`, `replenishment` (the order's journey and every run of the reminder chain it starts: a reminder, a
 * reorder with a stale stop, a stop), `continue-as-new` (every run of a journey that hands over three times),
 * `customer-lifecycle` (the journey tells the customer's workflow; its birthday, win-back and reminder),
 * `return-label` (a return whose prepaid label is bought and whose parcel comes back), `carrier-down` (EasyPost down:
 * the day's check retries while the carrier's news is answered beside it). Commit
 * what it writes under test/replay/histories/ whenever a released workflow gets a new path, so every later change must
 * still replay it (or be guarded by `patched()`).
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
import { customerWorkflowId } from '../../src/domain/lifecycle';
import { replenishmentWorkflowId } from '../../src/domain/replenishment';
import {
  addShipmentUpdate,
  cancelOrderUpdate,
  customerLifecycleQuery,
  customerProfileUpdatedSignal,
  journeyQuery,
  reorderedSignal,
  replenishmentStopSignal,
  requestReturnUpdate,
  reviewSubmittedSignal,
  trackingEventSignal,
} from '../../src/workflows/definitions';
import { anOrder } from '../helpers/fixtures';
import { createTestDatabase } from '../helpers/postgres';
import { createTestWorker, journeyActivities, startTimeSkippingEnv } from '../helpers/temporal';
import { startShipmentsStub } from '../helpers/easypost-shipments-stub';
import { startEasyPostStub } from '../helpers/carrier-stubs';
import { EasyPostTracking } from '../../src/providers/carriers/easypost';
import { ReturnLabels } from '../../src/db/return-labels';
import { EasyPostReturnLabels } from '../../src/providers/return-labels/easypost';
import { journeyInput } from '../../src/journeys/journey-start';

type Scenario = (env: TestWorkflowEnvironment, handle: WorkflowHandle) => Promise<void>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const untilConfirmed = async (handle: WorkflowHandle) => {
  while ((await handle.query(journeyQuery)).stage === 'confirming') await new Promise((r) => setTimeout(r, 100));
};

const scenarios: Record<string, Scenario> = {
  confirmation: async (_env, handle) => untilConfirmed(handle),
  'happy-path': async (env, handle) => {
    await untilConfirmed(handle);
    const { items } = await handle.query(journeyQuery);
    await handle.executeUpdate(addShipmentUpdate, { args: [{ carrier: 'ups', trackingNumber: '1ZREPLAY1', items }] });
    for (const status of [
      'label_created',
      'in_transit',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ] as const) {
      await env.sleep(4 * HOUR);
      await handle.signal(trackingEventSignal, {
        trackingNumber: '1ZREPLAY1',
        status,
        occurredAt: new Date(await env.currentTimeMs()).toISOString(),
      });
    }
    await handle.result();
  },
  /**
   * Issue 9's paths in one order: two parcels, one with a failed attempt and a second "out for delivery", the other
   * silent (no tracking provider answers: never polled, reported stalled, delivered late); a bad review (case +
   * apology); a return whose parcel arrives (refund), one that lapses, and one refused; tips, review request and
   * reminder under quiet hours and the frequency cap.
   */
  'many-paths': async (env, handle) => {
    await untilConfirmed(handle);
    const at = async (offsetMs = 0) => new Date((await env.currentTimeMs()) + offsetMs).toISOString();
    const ship = (
      trackingNumber: string,
      carrier: string,
      items: { sku: string; quantity: number }[],
      rmaId?: string,
    ) =>
      handle.executeUpdate(addShipmentUpdate, {
        args: [{ carrier, trackingNumber, items, ...(rmaId ? { rmaId } : {}) }],
      });
    await ship('1ZPATHS1', 'ups', [{ sku: 'SERUM-30', quantity: 2 }]);
    await ship('DHLPATHS2', 'dhl', [{ sku: 'TOWEL-01', quantity: 1 }]);
    for (const status of ['out_for_delivery', 'attempt_failed', 'out_for_delivery', 'delivered'] as const) {
      await env.sleep(5 * HOUR);
      await handle.signal(trackingEventSignal, { trackingNumber: '1ZPATHS1', status, occurredAt: await at() });
    }
    await env.sleep(6 * DAY); // the DHL parcel stalls after five silent days
    await handle.signal(trackingEventSignal, {
      trackingNumber: 'DHLPATHS2',
      status: 'delivered',
      occurredAt: await at(-HOUR),
    });
    await env.sleep(DAY);
    await handle.signal(reviewSubmittedSignal, { sku: 'TOWEL-01', rating: 1, text: 'recorded for replay' });
    const refund = await handle.executeUpdate(requestReturnUpdate, {
      args: [{ items: [{ sku: 'TOWEL-01', quantity: 1 }], reason: 'recorded for replay' }],
    });
    await handle.executeUpdate(requestReturnUpdate, {
      args: [{ items: [{ sku: 'SERUM-30', quantity: 1 }], reason: 'lapses' }],
    });
    await handle
      .executeUpdate(requestReturnUpdate, { args: [{ items: [{ sku: 'SERUM-30', quantity: 2 }], reason: 'refused' }] })
      .catch(() => undefined);
    await ship('1ZPATHSR', 'ups', [{ sku: 'TOWEL-01', quantity: 1 }], refund.rmaId);
    await env.sleep(2 * DAY);
    await handle.signal(trackingEventSignal, {
      trackingNumber: '1ZPATHSR',
      status: 'delivered',
      occurredAt: await at(),
    });
    await handle.result();
  },
  /** A scan reporting a delivery eleven days ago: tips and review request fall due together (issue 9, cause B). */
  'late-scan': async (env, handle) => {
    await untilConfirmed(handle);
    const { items } = await handle.query(journeyQuery);
    await handle.executeUpdate(addShipmentUpdate, { args: [{ carrier: 'ups', trackingNumber: '1ZLATE1', items }] });
    await env.sleep(2 * DAY);
    const occurredAt = new Date((await env.currentTimeMs()) - 11 * DAY).toISOString();
    await handle.signal(trackingEventSignal, { trackingNumber: '1ZLATE1', status: 'delivered', occurredAt });
    await handle.result();
  },
  /**
   * A journey that continues as new (its history budget lowered by `inputOf`): handed over while its parcel travels,
   * after delivery, and while the review reminder waits. Writes every run but the last as `<file-name>-run-<n>.json`.
   */
  'continue-as-new': async (env, handle) => {
    await untilConfirmed(handle);
    const { items } = await handle.query(journeyQuery);
    await handle.executeUpdate(addShipmentUpdate, { args: [{ carrier: 'ups', trackingNumber: '1ZCANEW1', items }] });
    const says = async (status: 'label_created' | 'in_transit' | 'out_for_delivery' | 'delivered') =>
      handle.signal(trackingEventSignal, {
        trackingNumber: '1ZCANEW1',
        status,
        occurredAt: new Date(await env.currentTimeMs()).toISOString(),
      });
    for (const status of ['label_created', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered'] as const) {
      await env.sleep(7 * HOUR);
      await says(status);
    }
    await env.sleep(11 * DAY + 5 * HOUR); // the review request went; late news grows history while the reminder waits
    for (let i = 0; i < 8; i++) await says('in_transit');
    await handle.result();
    const runs: string[] = [];
    for (let runId: string | undefined = (await handle.describe()).runId; runId;) {
      const history = await env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
      runs.unshift(historyToJSON(history));
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    }
    const fileName = handle.workflowId.replace(/^order-replay-/, '');
    runs.slice(0, -1).forEach((json, i) => {
      const file = path.join(__dirname, 'histories', `${fileName}-run-${i + 1}.json`);
      writeFileSync(file, json);
      console.log(`wrote ${file}`);
    });
  },
  cancelled: async (_env, handle) => {
    await untilConfirmed(handle);
    await handle.executeUpdate(cancelOrderUpdate, { args: [{ reason: 'recorded for replay' }] });
    await handle.result();
  },
  /**
   * The order's journey starts the SERUM-30 reminder chain and closes with its return window; 70 days on the chain
   * sends reminder 1 and continues as new; a newer order's reorder and then a (stale) stop of this order arrive; a stop
   * of the newer order ends the chain. Writes every run of the chain besides the journey: `<file-name>-chain-<n>.json`.
   * (`replenishment-v0*` were recorded with this scenario on the code before issue 9's fixes, where the stale stop
   * still ended the chain in its second run; `replenishment-v1*` on the fixed code.)
   */
  replenishment: async (env, handle) => {
    await untilConfirmed(handle);
    const { items, orderId, customerId } = await handle.query(journeyQuery);
    await handle.executeUpdate(addShipmentUpdate, { args: [{ carrier: 'ups', trackingNumber: '1ZREPLAY2', items }] });
    await handle.signal(trackingEventSignal, {
      trackingNumber: '1ZREPLAY2',
      status: 'delivered',
      occurredAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    await handle.result(); // 30 days on: the return window closed
    const chain = env.client.workflow.getHandle(replenishmentWorkflowId(customerId, 'SERUM-30'));
    const runOf = async () => (await chain.describe()).runId;
    const untilNextRun = async (runId: string) => {
      while ((await runOf()) === runId) await new Promise((r) => setTimeout(r, 100));
    };
    const firstRun = await runOf();
    await env.sleep(41 * 24 * HOUR); // day 71: reminder 1 went (after quiet hours, if any), the chain continued as new
    await untilNextRun(firstRun);
    const newerOrder = `${orderId}-again`;
    const secondRun = await runOf();
    await chain.signal(reorderedSignal, { orderId: newerOrder });
    await chain.signal(replenishmentStopSignal, { orderId, reason: 'returned' }); // stale: a newer order counts now
    await untilNextRun(secondRun);
    await env.sleep(HOUR);
    await chain.signal(replenishmentStopSignal, { orderId: newerOrder, reason: 'returned' });
    const outcome = await chain.result();
    if (outcome.stoppedBecause !== 'returned' || outcome.remindersSent !== 1)
      throw new Error(`unexpected chain outcome ${JSON.stringify(outcome)}`);

    const runs: string[] = [];
    for (let runId: string | undefined = await runOf(); runId;) {
      const history = await env.client.workflow.getHandle(chain.workflowId, runId).fetchHistory();
      runs.unshift(historyToJSON(history));
      runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    }
    const fileName = handle.workflowId.replace(/^order-replay-/, '');
    runs.forEach((json, i) => {
      const file = path.join(__dirname, 'histories', `${fileName}-chain-${i + 1}.json`);
      writeFileSync(file, json);
      console.log(`wrote ${file}`);
    });
  },
  /**
   * The order's journey tells the customer's lifecycle workflow about itself (patch `tell-customer-lifecycle`) and
   * ends unshipped after 30 days; support records a birth date ten days on; the customer workflow sends the birthday
   * greeting, the win-back 90 days after the order and its reminder 30 days later. Writes the customer workflow's
   * history besides the journey's: `<file-name>-customer.json`.
   */
  'customer-lifecycle': async (env, handle) => {
    await untilConfirmed(handle);
    const { customerId } = await handle.query(journeyQuery);
    const customer = env.client.workflow.getHandle(customerWorkflowId(customerId));
    const state = async () => customer.query(customerLifecycleQuery).catch(() => undefined);
    while (!(await state())?.orderCount) await new Promise((r) => setTimeout(r, 100));
    const birthday = new Date((await env.currentTimeMs()) + 10 * DAY);
    await customer.signal(customerProfileUpdatedSignal, {
      birthDate: { month: birthday.getUTCMonth() + 1, day: birthday.getUTCDate() },
      source: 'support',
    });
    await handle.result();
    await env.sleep(130 * DAY);
    const sent = async () => (await state())?.messages.map((m) => m.messageType) ?? [];
    while (!(await sent()).includes('win_back_reminder')) await new Promise((r) => setTimeout(r, 100));
    const fileName = handle.workflowId.replace(/^order-replay-/, '');
    const file = path.join(__dirname, 'histories', `${fileName}-customer.json`);
    writeFileSync(file, historyToJSON(await customer.fetchHistory()));
    console.log(`wrote ${file} (customer: ${(await sent()).join(', ')})`);
  },
};

/**
 * A return with a prepaid label (patch `return-labels`): delivered, a return accepted three days on, its label bought
 * from EasyPost's Shipments API (stood in for on 127.0.0.1 by test/helpers/easypost-shipments-stub.ts; the history
 * keeps the answers), its parcel registered by the journey itself, in transit, delivered, the refund confirmed.
 */
scenarios['return-label'] = async (env, handle) => {
  await untilConfirmed(handle);
  const { items } = await handle.query(journeyQuery);
  const now = async () => new Date(await env.currentTimeMs()).toISOString();
  await handle.executeUpdate(addShipmentUpdate, { args: [{ carrier: 'ups', trackingNumber: '1ZREPLAY3', items }] });
  await handle.signal(trackingEventSignal, {
    trackingNumber: '1ZREPLAY3',
    status: 'delivered',
    occurredAt: await now(),
  });
  await env.sleep(3 * DAY);
  const { rmaId } = await handle.executeUpdate(requestReturnUpdate, {
    args: [{ items: [{ sku: 'TOWEL-01', quantity: 1 }], reason: 'recorded for replay' }],
  });
  const returnParcel = async () => (await handle.query(journeyQuery)).shipments.find((s) => s.rmaId === rmaId);
  while (!(await returnParcel())) await new Promise((r) => setTimeout(r, 100));
  const { trackingNumber } = (await returnParcel())!;
  for (const status of ['in_transit', 'delivered'] as const) {
    await env.sleep(2 * DAY);
    await handle.signal(trackingEventSignal, { trackingNumber, status, occurredAt: await now() });
  }
  await handle.result();
};

/**
 * EasyPost down (patch `carrier-checks-beside-parcel-news`): registering the parcel and the day's check are retried
 * while "out for delivery" and "delivered" arrive by webhook and are answered at once; the check fails for good half a
 * day later and the journey runs to its end.
 */
scenarios['carrier-down'] = async (env, handle) => {
  await untilConfirmed(handle);
  const { items } = await handle.query(journeyQuery);
  const now = async () => new Date(await env.currentTimeMs()).toISOString();
  await handle.executeUpdate(addShipmentUpdate, { args: [{ carrier: 'ups', trackingNumber: '1ZREPLAY4', items }] });
  await env.sleep(DAY + 2 * HOUR);
  for (const status of ['out_for_delivery', 'delivered'] as const) {
    await handle.signal(trackingEventSignal, { trackingNumber: '1ZREPLAY4', status, occurredAt: await now() });
    while (!(await handle.query(journeyQuery)).messages.some((m) => m.messageType === status))
      await new Promise((r) => setTimeout(r, 100));
    await env.sleep(3 * HOUR);
  }
  await handle.result();
};

/** Journey input beyond the order and policy, per scenario. */
const inputOf: Record<string, { historyEventBudget?: number }> = { 'continue-as-new': { historyEventBudget: 40 } };

async function main(scenarioName: string, fileName: string): Promise<void> {
  const scenario = scenarios[scenarioName];
  if (!scenario) throw new Error(`unknown scenario ${scenarioName}; one of ${Object.keys(scenarios).join(', ')}`);
  const db = await createTestDatabase();
  await migrate(db.url);
  const pool = createPool(db.url);
  const env = await startTimeSkippingEnv();
  const shipments = scenarioName === 'return-label' ? await startShipmentsStub() : undefined;
  const easypost = scenarioName === 'carrier-down' ? await startEasyPostStub() : undefined;
  easypost?.override({
    status: 503,
    body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down for maintenance' } },
  });
  try {
    // The scenario's one stub in place of the real service it stands for; none: the test worker's own activities.
    const stubbed = shipments
      ? { returnLabels: returnLabelsAt(shipments.url, pool) }
      : easypost
        ? { carriers: new EasyPostTracking({ apiKey: 'EZTKtest0123456789abcdef', baseUrl: `${easypost.url}/v2` }) }
        : undefined;
    const activities = stubbed && journeyActivities(pool, stubbed);
    const worker = await createTestWorker(env, 'record', pool, activities ? { activities } : {}); // journey, email, SMS
    const order = orderSchema.parse(
      anOrder({
        orderId: `replay-${fileName}`,
        customerId: 'cus-replay',
        ...(shipments
          ? { shippingAddress: { street1: 'Brīvības iela 1-2', city: 'Riga', zip: 'LV-1011', country: 'LV' } }
          : {}),
      }),
    );
    const handle = await worker.runUntil(async () => {
      const h = await env.client.workflow.start('orderJourney', {
        workflowId: journeyWorkflowId(order.orderId),
        taskQueue: 'record',
        args: [{ ...journeyInput(order, productionPolicy), ...inputOf[scenarioName] }],
      });
      await scenario(env, h);
      return h;
    });
    const history = await handle.fetchHistory();
    const file = path.join(__dirname, 'histories', `${fileName}.json`);
    writeFileSync(file, historyToJSON(history));
    console.log(`wrote ${file} (${history.events?.length} events)`);
  } finally {
    await shipments?.stop();
    await easypost?.stop();
    await env.teardown();
    await pool.end();
    await db.stop();
  }
}

function returnLabelsAt(url: string, pool: ReturnType<typeof createPool>) {
  const returnAddress = {
    company: 'Test Shop',
    street1: '1 Warehouse Road',
    city: 'Riga',
    zip: 'LV-1010',
    country: 'LV',
  };
  return {
    provider: new EasyPostReturnLabels({
      apiKey: 'EZTKreplay',
      baseUrl: `${url}/v2`,
      returnAddress,
      parcel: { weightOz: 24 },
    }),
    records: new ReturnLabels(pool),
  };
}

const [scenarioName = 'confirmation', fileName = `${scenarioName}-v2`] = process.argv.slice(2);
main(scenarioName, fileName).catch((err) => {
  console.error(err);
  process.exit(1);
});
