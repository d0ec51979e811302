/**
 * Replenishment chains over a customer's life (issue 9): a chain that ended and is started again later sends its own
 * reminders; a stale stop never beats a newer reorder (and a reorder after a stop wins); a reminder that cannot be sent
 * is recorded and the chain goes on. Production durations on the time-skipping server; what counts is what the customer
 * receives (the outbox) and the ledger, not the workflow's private state.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { OutboxStore } from '../../src/db/outbox';
import { orderSchema, type OrderInput } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { ProviderError, type EmailProvider, type OutgoingEmail } from '../../src/providers/types';
import { reorderedSignal, replenishmentStopSignal } from '../../src/workflows/definitions';
import type { ReplenishmentInput } from '../../src/workflows/replenishment';
import { testPool } from '../helpers/database';
import { anOrder, uniqueId } from '../helpers/fixtures';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';
import { createTestWorker, TEST_DATA_CONVERTER, workflowBundle } from '../helpers/temporal';

jest.setTimeout(120_000);

// A fresh server per test (see replenishment.test.ts: the Java test server and continue-as-new).
let world: JourneyWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const SKU = 'SERUM-30';
const serum = {
  items: [{ sku: SKU, name: 'Vitamin C serum 30 ml', quantity: 1, unitPrice: '24.50', category: 'cosmetics' }],
  total: '24.50',
};
const chainId = (customerId: string) => `replenish-${customerId}-${SKU}`;

async function deliveredOrder(
  w: JourneyWorld,
  customerId: string,
  items: Partial<OrderInput> = serum,
): Promise<OrderStory> {
  const story = await OrderStory.place(w, { customerId, channels: ['email'], ...items });
  const trackingNumber = `RPL${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.carrierSays(trackingNumber, 'delivered');
  await story.until(
    (v) => v.timeline.some((t) => t.event.startsWith(`replenishment reminders for ${SKU}`)),
    'replenishment started',
  );
  return story;
}

/** Reminders the customer received (the outbox), oldest first. */
async function remindersFor(w: JourneyWorld, customerId: string) {
  const { rows } = await w.pool.query<{ order_id: string }>(
    `SELECT order_id FROM outbox_messages WHERE message_type = 'replenishment_reminder' AND journey_id = $1 ORDER BY created_at, id`,
    [chainId(customerId)],
  );
  return rows.map((r) => r.order_id);
}

/** Polls in real time (workflow time stands still) until `probe` answers something truthy. */
async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 200; i++) {
    last = await probe();
    if (last) return last as T;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what} (last answer: ${JSON.stringify(last)})`);
}

async function statusOf(handle: WorkflowHandle): Promise<string> {
  return (await handle.describe()).status.name;
}

/** A chain's first input, as an order journey would start it. */
function chainInput(customerId: string, orderId: string): ReplenishmentInput {
  const order = orderSchema.parse(anOrder({ customerId, orderId, channels: ['email'] }));
  return {
    customerId,
    sku: SKU,
    itemName: 'Vitamin C serum 30 ml',
    intervalDays: 70,
    policy: {
      name: productionPolicy.name,
      secondsPerDay: productionPolicy.secondsPerDay,
      maxUnansweredReplenishmentReminders: 3,
    },
    orderId,
    contact: {
      email: order.email,
      name: order.name,
      locale: order.locale,
      channels: ['email'],
      timeZone: order.timeZone,
      marketingConsent: true,
      placedAt: order.placedAt,
    },
    remindersSent: 0,
    unanswered: 0,
  };
}

describe('a customer who comes back', () => {
  // A weekly item: its chain of three reminders ends while the order's journey is still open. (A chain that completes
  // after its parent journey closed was seen to stop the Java test server's time skipping for good.)
  const vitamins = {
    items: [{ sku: SKU, name: 'Vitamin C serum 30 ml', quantity: 1, unitPrice: '24.50', replenishmentIntervalDays: 7 }],
    total: '24.50',
  };

  it('a year after the reminders ended, a reorder starts them again and they really reach the customer', async () => {
    const w = (world = await startJourneyWorld());
    const customerId = uniqueId('cus');
    const chain = w.env.client.workflow.getHandle(chainId(customerId));
    const first = await deliveredOrder(w, customerId, vitamins);

    // Three unanswered reminders a week apart: the chain ends.
    await first.wait(25 * DAY);
    await eventually(async () => (await statusOf(chain)) === 'COMPLETED', 'the first chain ended');
    expect(await remindersFor(w, customerId)).toEqual(Array(3).fill(first.order.orderId));

    // A year after the first order the customer buys it again.
    await first.wait(340 * DAY);
    const second = await deliveredOrder(w, customerId, vitamins);
    expect((await second.view()).timeline.map((t) => t.event)).toContain(
      `replenishment reminders for ${SKU} every 7 days started`,
    );

    await second.wait(8 * DAY);
    // today: the new chain's "reminder-1" finds the old chain's ledger row, counts as sent, and nothing goes
    const reminders = await eventually(async () => {
      const sent = await remindersFor(w, customerId);
      return sent.length > 3 && sent;
    }, 'a reminder of the new chain in the outbox');
    expect(reminders).toEqual([...Array(3).fill(first.order.orderId), second.order.orderId]);

    // Each reminder has its own ledger row and its own marketing slot (the frequency cap saw them all).
    const ledger = await w.pool.query<{ order_id: string; status: string }>(
      `SELECT order_id, status FROM message_ledger WHERE journey_id = $1 AND message_type = 'replenishment_reminder' ORDER BY created_at`,
      [chainId(customerId)],
    );
    expect(ledger.rows).toEqual([
      ...Array(3).fill({ order_id: first.order.orderId, status: 'sent' }),
      { order_id: second.order.orderId, status: 'sent' },
    ]);
    const slots = await w.pool.query<{ step: string }>(`SELECT step FROM marketing_slots WHERE journey_id = $1`, [
      chainId(customerId),
    ]);
    expect(slots.rows.length).toBeGreaterThan(0);
    expect(new Set(slots.rows.map((r) => r.step)).size).toBe(slots.rows.length);
  });
});

describe('stops and reorders', () => {
  const reorder = (orderId: string) => ({ kind: 'reorder' as const, orderId });
  const stop = (orderId: string) => ({ kind: 'stop' as const, orderId });

  /**
   * Starts a chain counting from order A on a task queue no worker polls yet, sends the signals, then starts a worker:
   * every signal reaches the same run — as happens whenever they arrive while the chain is busy (e.g. a reminder's send
   * retrying through a provider outage).
   */
  async function chainAfter(
    w: JourneyWorld,
    customerId: string,
    signals: { kind: 'reorder' | 'stop'; orderId: string }[],
  ) {
    const taskQueue = `${w.taskQueue}-late`;
    const handle = await w.env.client.workflow.start('replenishment', {
      workflowId: chainId(customerId),
      taskQueue,
      args: [chainInput(customerId, 'A')],
    });
    for (const s of signals) {
      if (s.kind === 'reorder') await handle.signal(reorderedSignal, { orderId: s.orderId });
      else await handle.signal(replenishmentStopSignal, { orderId: s.orderId, reason: 'returned' });
    }
    const worker = await createTestWorker(w.env, taskQueue, w.pool);
    const running = worker.run();
    return { handle, stopWorker: async () => (worker.shutdown(), await running) };
  }

  it.each([
    ['a return of the older order that arrives after a newer reorder', [reorder('B'), stop('A')]],
    ['a reorder that arrives after a stop', [stop('A'), reorder('B')]],
  ])('%s does not end the reminders: they count from the newer order', async (_story, signals) => {
    const w = (world = await startJourneyWorld());
    const customerId = uniqueId('cus');
    const { handle, stopWorker } = await chainAfter(w, customerId, signals);
    try {
      await w.env.sleep(71 * DAY);
      // today: the chain ended ("returned") at once and nothing is ever sent
      const reminders = await eventually(async () => {
        const sent = await remindersFor(w, customerId);
        return sent.length > 0
          ? sent
          : (await statusOf(handle)) !== 'RUNNING' && `chain ${await statusOf(handle)}, no reminder`;
      }, 'a reminder');
      expect(reminders).toEqual(['B']);
      expect(await statusOf(handle)).toBe('RUNNING');
    } finally {
      await stopWorker();
    }
  });

  it('a return of the order the reminders count from still ends them', async () => {
    const w = (world = await startJourneyWorld());
    const customerId = uniqueId('cus');
    const { handle, stopWorker } = await chainAfter(w, customerId, [reorder('B'), stop('B')]);
    try {
      expect(await handle.result()).toEqual({ stoppedBecause: 'returned', remindersSent: 0 });
    } finally {
      await stopWorker();
    }
  });
});

/** The local outbox, down (a retryable 503, past the reminder's two-day retry window) for the first reminder. */
class DownForTheFirstReminder implements EmailProvider {
  readonly name = 'outbox';
  constructor(private readonly outbox: EmailProvider) {}

  async sendEmail(email: OutgoingEmail) {
    if (email.messageType === 'replenishment_reminder' && email.step.endsWith('reminder-1')) {
      throw new ProviderError('outbox', 'email', '503', 'service unavailable', true);
    }
    return this.outbox.sendEmail(email);
  }
}

describe('a reminder that cannot be sent', () => {
  it('ends as gave_up in the ledger, shows on the chain, and the next reminder still goes', async () => {
    const pool = testPool();
    try {
      const w = (world = await startJourneyWorld({
        email: new DownForTheFirstReminder(new OutboxProvider(new OutboxStore(pool))),
      }));
      const customerId = uniqueId('cus');
      const handle = await w.env.client.workflow.start('replenishment', {
        workflowId: chainId(customerId),
        taskQueue: w.taskQueue,
        args: [chainInput(customerId, 'A')],
      });
      const ledgerRows = async () =>
        (
          await w.pool.query<{ step: string; status: string; error_code: string | null }>(
            `SELECT step, status, error_code FROM message_ledger WHERE journey_id = $1 ORDER BY step`,
            [chainId(customerId)],
          )
        ).rows.map((r) => [r.step.replace(/^.*:/, ''), r.status, r.error_code]);

      // Day 70 (or the next morning): the first reminder is tried for its two-day window (send-deadlines.ts), then
      // given up: the shared sender records it in the ledger.
      await w.env.sleep(74 * DAY);
      const gaveUp = await eventually(async () => {
        const rows = await ledgerRows();
        return rows.some(([, status]) => status === 'failed') && rows;
      }, 'the first reminder given up in the ledger');
      expect(gaveUp).toEqual([['reminder-1', 'failed', 'gave_up']]);
      expect(await statusOf(handle)).toBe('RUNNING');
      const details = await eventually(async () => {
        const { currentDetails } = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
        return /reminder 1 not sent/.test(currentDetails) && currentDetails;
      }, 'the failure shown on the chain');
      expect(details).toMatch(/reminder 1 not sent \(email: .*service unavailable/);
      expect(await remindersFor(w, customerId)).toEqual([]);
      // The run that gave up replays on this code (the give-up is guarded by its patch, docs/versioning.md).
      const firstRun = w.env.client.workflow.getHandle(chainId(customerId), handle.firstExecutionRunId);
      await eventually(async () => (await statusOf(firstRun)) === 'CONTINUED_AS_NEW', 'the first run continued as new');
      const history = await firstRun.fetchHistory();
      const scheduled = history
        .events!.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
        .filter(Boolean);
      expect(scheduled).toContain('recordUndeliverable');
      await Worker.runReplayHistory(
        { workflowBundle: await workflowBundle(), dataConverter: TEST_DATA_CONVERTER, replayName: 'gave-up reminder' },
        history,
      );

      // 70 days after the chain went on: the second reminder goes.
      await w.env.sleep(72 * DAY);
      expect(
        await eventually(
          async () => (await remindersFor(w, customerId)).length > 0 && remindersFor(w, customerId),
          'the second reminder',
        ),
      ).toEqual(['A']);
      expect(await ledgerRows()).toEqual([
        ['reminder-1', 'failed', 'gave_up'],
        ['reminder-2', 'sent', null],
      ]);
    } finally {
      await world?.stop(); // before the provider's pool closes
      world = undefined;
      await pool.end();
    }
  });
});
