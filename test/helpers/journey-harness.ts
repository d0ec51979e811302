/**
 * A journey world for scenario tests: the time-skipping server, a worker with the real activities (ledger, outbox,
 * support cases in PostgreSQL), and helpers that act as checkout, the carrier, the customer and support staff.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerGroup as Worker } from '../../src/temporal/journey-workers'; // the journey, email and SMS workers
import type { Pool } from 'pg';
import { OutboxStore } from '../../src/db/outbox';
import { SupportCases } from '../../src/db/support-cases';
import { journeyWorkflowId, orderSchema, type Order, type OrderInput } from '../../src/domain/order';
import { productionPolicy, type JourneyPolicy } from '../../src/domain/policy';
import type { TrackingStatus } from '../../src/domain/tracking-status';
import {
  addShipmentUpdate,
  cancelOrderUpdate,
  journeyQuery,
  requestReturnUpdate,
  reviewSubmittedSignal,
  trackingEventSignal,
  type NewShipment,
} from '../../src/workflows/definitions';
import type { JourneyView } from '../../src/workflows/journey-state';
import { testPool } from './database';
import { anOrder } from './fixtures';
import {
  createTestWorker,
  journeyActivities,
  startDevServerEnv,
  startTimeSkippingEnv,
  type TestWorkerOptions,
} from './temporal';
import { journeyInput } from '../../src/journeys/journey-start';
import type { JourneyInput } from '../../src/workflows/journey-input';

export const DAY = 86_400_000;

export interface JourneyWorld {
  env: TestWorkflowEnvironment;
  pool: Pool;
  outbox: OutboxStore;
  supportCases: SupportCases;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startJourneyWorld(
  activityOverrides: Parameters<typeof journeyActivities>[1] = {},
  bundle?: TestWorkerOptions['bundle'],
): Promise<JourneyWorld> {
  const env = await startTimeSkippingEnv();
  const pool = testPool();
  const taskQueue = `journey-${Math.random().toString(36).slice(2, 8)}`;
  const worker: Worker = await createTestWorker(env, taskQueue, pool, {
    activities: journeyActivities(pool, activityOverrides),
    bundle,
  });
  const running = worker.run();
  return {
    env,
    pool,
    outbox: new OutboxStore(pool),
    supportCases: new SupportCases(pool),
    taskQueue,
    stop: async () => {
      worker.shutdown();
      await running;
      await env.teardown();
      await pool.end();
    },
  };
}

/** A journey world whose worker the test stops and starts again: every worker away while time passes. */
export interface StoppableJourneyWorld extends JourneyWorld {
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
}

/**
 * On the dev server, where time is real (the time-skipping server stops skipping as soon as a fired timer waits for a
 * worker): `stop()` stops the worker and the server; the caller ends its own pool.
 */
export async function startStoppableJourneyWorld(
  pool: Pool,
  queuePrefix: string,
  activities?: TestWorkerOptions['activities'],
): Promise<StoppableJourneyWorld> {
  const env = await startDevServerEnv();
  const taskQueue = `${queuePrefix}-${Math.random().toString(36).slice(2, 8)}`;
  let worker: { group: Worker; running: Promise<void> } | undefined;
  const stopWorker = async () => {
    if (!worker) return;
    worker.group.shutdown();
    await worker.running;
    worker = undefined;
  };
  const world: StoppableJourneyWorld = {
    env,
    pool,
    outbox: new OutboxStore(pool),
    supportCases: new SupportCases(pool),
    taskQueue,
    startWorker: async () => {
      const group = await createTestWorker(env, taskQueue, pool, activities ? { activities } : {});
      worker = { group, running: group.run() };
    },
    stopWorker,
    stop: async () => {
      await stopWorker();
      await env.teardown();
    },
  };
  await world.startWorker();
  return world;
}

/**
 * Polls (in real time) until the workflow has no workflow task and no activity pending, or has closed. After moving
 * workflow time, a check that something did NOT happen means something only once this holds: before it, a timer
 * that fired may still be on its way to an activity. (Children are not counted: replenishment chains outlive orders.)
 */
export async function untilIdle(handle: WorkflowHandle, what: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const { status, raw } = await handle.describe();
    if (status.name !== 'RUNNING' || (!raw.pendingWorkflowTask && !raw.pendingActivities?.length)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} never settled: a workflow task or an activity stayed pending`);
}

/** Journey input beyond the order and its policy, for a test (e.g. a small history budget to force handovers). */
export type StoryInput = Pick<JourneyInput, 'historyEventBudget'>;

/** One customer's order, seen from every side. */
export class OrderStory {
  private constructor(
    readonly world: JourneyWorld,
    readonly order: Order,
    readonly handle: WorkflowHandle,
  ) {}

  /** Checkout places the order; resolves once its confirmation is out. */
  static async place(
    world: JourneyWorld,
    overrides: Partial<OrderInput> = {},
    policy: JourneyPolicy = productionPolicy,
    input: StoryInput = {},
  ): Promise<OrderStory> {
    const story = await OrderStory.start(world, overrides, policy, input);
    await story.until((v) => v.stage !== 'confirming', 'confirmation sent');
    return story;
  }

  /** Checkout places the order; resolves at once (for a confirmation that is held up). */
  static async start(
    world: JourneyWorld,
    overrides: Partial<OrderInput> = {},
    policy: JourneyPolicy = productionPolicy,
    input: StoryInput = {},
  ): Promise<OrderStory> {
    const order = orderSchema.parse(anOrder(overrides));
    const handle = await world.env.client.workflow.start('orderJourney', {
      workflowId: journeyWorkflowId(order.orderId),
      taskQueue: world.taskQueue,
      args: [{ ...journeyInput(order, policy), ...input }],
    });
    return new OrderStory(world, order, handle);
  }

  view(): Promise<JourneyView> {
    return this.handle.query(journeyQuery);
  }

  /** Polls the journey (in real time, without moving workflow time) until `predicate` holds. */
  async until(predicate: (view: JourneyView) => boolean, what: string): Promise<JourneyView> {
    for (let i = 0; i < 150; i++) {
      const v = await this.view();
      if (predicate(v)) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `journey of ${this.order.orderId} never got to: ${what}\n${JSON.stringify(await this.view(), null, 1)}`,
    );
  }

  /**
   * Waits until the journey has nothing in flight (see `untilIdle`): then what has not happened, will not by this time.
   */
  settled(): Promise<void> {
    return untilIdle(this.handle, `journey of ${this.order.orderId}`);
  }

  /** Waits until the journey has recorded `count` messages (sent or failed). */
  untilMessages(count: number): Promise<JourneyView> {
    return this.until((v) => v.messages.length >= count, `${count} messages`);
  }

  /** Lets workflow time pass. */
  async wait(ms: number): Promise<void> {
    await this.world.env.sleep(ms);
  }

  async now(): Promise<Date> {
    return new Date(await this.world.env.currentTimeMs());
  }

  ship(shipment: Partial<NewShipment> & { trackingNumber: string }) {
    return this.handle.executeUpdate(addShipmentUpdate, {
      args: [{ carrier: 'ups', items: this.order.items.map(({ sku, quantity }) => ({ sku, quantity })), ...shipment }],
    });
  }

  /** The carrier reports a status, by default as happening now. */
  async carrierSays(
    trackingNumber: string,
    status: TrackingStatus,
    options: { occurredAt?: Date; eventId?: string } = {},
  ): Promise<void> {
    const occurredAt = (options.occurredAt ?? (await this.now())).toISOString();
    await this.handle.signal(trackingEventSignal, {
      trackingNumber,
      status,
      occurredAt,
      ...(options.eventId ? { eventId: options.eventId } : {}),
    });
  }

  review(sku: string, rating: number) {
    return this.handle.signal(reviewSubmittedSignal, { sku, rating, text: 'test review' });
  }

  requestReturn(items: { sku: string; quantity: number }[], reason = 'does not fit') {
    return this.handle.executeUpdate(requestReturnUpdate, { args: [{ items, reason }] });
  }

  cancel(reason = 'customer changed their mind') {
    return this.handle.executeUpdate(cancelOrderUpdate, { args: [{ reason }] });
  }

  /** What the customer received, oldest first, as "type/channel". */
  async received(): Promise<string[]> {
    const messages = await this.world.outbox.list({ orderId: this.order.orderId });
    return messages.reverse().map((m) => `${m.messageType}/${m.channel}`);
  }

  async receivedTypes(channel: 'email' | 'sms' = 'email'): Promise<string[]> {
    return (await this.received()).filter((m) => m.endsWith(`/${channel}`)).map((m) => m.split('/')[0]!);
  }

  async finish() {
    return this.handle.result();
  }
}
