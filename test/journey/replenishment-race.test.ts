/**
 * A reorder that races the end of the customer's reminder chain (issue 9, defect 3): the order journey finds the chain
 * running (startChild: already started), the chain ends before the journey's "reordered" signal reaches it, and the
 * signal fails. The race is made deterministic by a test-only interceptor that holds the journey's signal back for a
 * day while the test ends the chain (a return of the older order).
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../src/temporal/workflow-bundle';
import { uniqueId } from '../helpers/fixtures';
import { DAY, OrderStory, startJourneyWorld, type JourneyWorld } from '../helpers/journey-harness';
import { REORDER_HELD_BACK_MS } from './replenishment-race.interceptors';

jest.setTimeout(120_000);

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

/** A journey world whose workers run the production workflows plus the race interceptor. */
async function startRaceWorld(): Promise<JourneyWorld> {
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES, require.resolve('./replenishment-race.interceptors')],
    logger: quietLogger,
  });
  return startJourneyWorld({}, workflowBundle);
}

let world: JourneyWorld;
beforeEach(async () => {
  world = await startRaceWorld();
});
afterEach(() => world?.stop());

const serum = {
  items: [{ sku: 'SERUM-30', name: 'Vitamin C serum 30 ml', quantity: 1, unitPrice: '24.50', category: 'cosmetics' }],
  total: '24.50',
};

async function delivered(customerId: string): Promise<OrderStory> {
  const story = await OrderStory.place(world, { customerId, channels: ['email'], ...serum });
  const trackingNumber = `RACE${Math.random().toString(36).slice(2, 8)}`;
  await story.ship({ trackingNumber });
  await story.carrierSays(trackingNumber, 'delivered');
  return story;
}

/** Polls (real time, workflow time stands still) until `probe` answers something truthy. */
async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const answer = await probe();
    if (answer) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

async function historyHas(handle: WorkflowHandle, attribute: string): Promise<boolean> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).some((e) => (e as Record<string, unknown>)[attribute] != null);
}

describe('a reorder racing the end of the reminder chain', () => {
  it('the chain ends between "already started" and the reorder signal: the new order starts reminders again and its journey lives on', async () => {
    const customerId = uniqueId('cus');
    const chain = world.env.client.workflow.getHandle(`replenish-${customerId}-SERUM-30`);

    const first = await delivered(customerId);
    await first.until(
      (v) => v.timeline.some((t) => t.event === 'replenishment reminders for SERUM-30 every 70 days started'),
      'chain started',
    );
    const { runId: endedRunId } = await chain.describe();

    // The second order finds the chain running, and (held back by the interceptor) has not signalled it yet…
    const second = await delivered(customerId);
    await eventually(
      () => historyHas(second.handle, 'startChildWorkflowExecutionFailedEventAttributes'),
      'second order: already started',
    );

    // …when the first order's serum is returned: the chain (still counting from the first order) ends.
    await first.requestReturn([{ sku: 'SERUM-30', quantity: 1 }]);
    await eventually(async () => (await chain.describe()).status.name === 'COMPLETED', 'chain completed');

    // Now the reorder signal goes, to a chain that no longer runs.
    await second.wait(REORDER_HELD_BACK_MS + 60_000);
    const startedAgain = (events: string[]) =>
      events.includes('replenishment reminders for SERUM-30 every 70 days started');
    await eventually(
      async () =>
        (await second.handle.describe()).status.name !== 'RUNNING' ||
        startedAgain((await second.view()).timeline.map((t) => t.event)),
      'the second order either starts the reminders again or its journey ends',
    );
    const journeyFailure = async (h: WorkflowHandle) =>
      (await h.describe()).status.name === 'FAILED'
        ? await h
            .result()
            .catch(
              (err: { message: string; cause?: { message: string } }) => `FAILED: ${err.cause?.message ?? err.message}`,
            )
        : 'not failed';
    expect(await journeyFailure(second.handle)).toBe('not failed'); // today: FAILED: Unable to signal external workflow because it was not found
    expect((await second.handle.describe()).status.name).toBe('RUNNING');
    expect((await second.view()).timeline.map((t) => t.event)).toEqual(
      expect.arrayContaining([
        'replenishment reminders for SERUM-30 had ended meanwhile; starting them again',
        'replenishment reminders for SERUM-30 every 70 days started',
      ]),
    );
    const restarted = await chain.describe();
    expect(restarted.status.name).toBe('RUNNING');
    expect(restarted.runId).not.toBe(endedRunId);

    // The customer really hears about it, counting from the second order.
    await second.wait(71 * DAY);
    const reminders = await eventually(async () => {
      const { rows } = await world.pool.query<{ order_id: string }>(
        `SELECT order_id FROM outbox_messages WHERE message_type = 'replenishment_reminder' AND journey_id = $1`,
        [`replenish-${customerId}-SERUM-30`],
      );
      return rows.length ? rows : undefined;
    }, 'a reminder');
    expect(reminders.map((r) => r.order_id)).toEqual([second.order.orderId]);
  });
});
