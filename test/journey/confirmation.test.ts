/**
 * Step 1 of the journey, on the time-skipping server with the real ledger and outbox.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerGroup as Worker } from '../../src/temporal/journey-workers'; // the journey, email and SMS workers
import { journeyWorkflowId, orderSchema } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import { OutboxStore } from '../../src/db/outbox';
import { journeyQuery } from '../../src/workflows/definitions';
import { anOrder } from '../helpers/fixtures';
import { testPool } from '../helpers/database';
import { createTestWorker, startTimeSkippingEnv } from '../helpers/temporal';
import { journeyInput } from '../../src/journeys/journey-start';

const taskQueue = 'confirmation-test';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const pool = testPool();
const outbox = new OutboxStore(pool);

beforeAll(async () => {
  env = await startTimeSkippingEnv();
  worker = await createTestWorker(env, taskQueue, pool);
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await pool.end();
});

async function startJourney(overrides: Parameters<typeof anOrder>[0] = {}) {
  const order = orderSchema.parse(anOrder(overrides));
  const handle = await env.client.workflow.start('orderJourney', {
    workflowId: journeyWorkflowId(order.orderId),
    taskQueue,
    args: [journeyInput(order, productionPolicy)],
  });
  return { order, handle };
}

async function waitForStage(handle: Awaited<ReturnType<typeof startJourney>>['handle'], stage: string) {
  for (let i = 0; i < 100; i++) {
    const view = await handle.query(journeyQuery);
    if (view.stage === stage) return view;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`journey never reached stage ${stage}`);
}

describe('order confirmation', () => {
  it('thanks the customer at once by email and SMS, with the receipt, delivery window and support contact', async () => {
    const { order, handle } = await startJourney({
      expectedDelivery: { earliest: '2026-11-23', latest: '2026-11-25' },
    });
    await waitForStage(handle, 'awaiting_shipment');

    const messages = await outbox.list({ orderId: order.orderId });
    const email = messages.find((m) => m.channel === 'email');
    const sms = messages.find((m) => m.channel === 'sms');
    expect(messages).toHaveLength(2);

    expect(email).toMatchObject({ messageType: 'confirmation', recipient: order.email });
    expect(email!.subject).toContain(order.orderId);
    expect(email!.textBody).toContain('2 × Vitamin C serum 30 ml');
    expect(email!.textBody).toContain('Total: €59.90');
    expect(email!.textBody).toContain('Expected delivery: Nov 23, 2026 – Nov 25, 2026');
    expect(email!.textBody).toContain('help@test-shop.example');
    expect(email!.textBody).toContain('Night cream 50 ml');
    expect(email!.htmlBody).toContain('<a href="https://shop.example/p/cream-50">Night cream 50 ml</a>');

    expect(sms).toMatchObject({ messageType: 'confirmation', recipient: order.phone });
    expect(sms!.textBody).toContain(order.orderId);
  });

  it('sends only the email when the customer did not choose SMS', async () => {
    const { order, handle } = await startJourney({ channels: ['email'] });
    await waitForStage(handle, 'awaiting_shipment');

    const messages = await outbox.list({ orderId: order.orderId });
    expect(messages.map((m) => m.channel)).toEqual(['email']);
  });

  it('promises the policy delivery window when checkout sends none', async () => {
    const { handle } = await startJourney({ placedAt: '2026-11-20T10:15:00Z', expectedDelivery: undefined });
    const view = await waitForStage(handle, 'awaiting_shipment');
    expect(view.expectedDelivery).toEqual({ earliest: '2026-11-22', latest: '2026-11-25' });
  });

  it('shows the confirmation in the journey: stage, messages, timeline and what comes next', async () => {
    const { order, handle } = await startJourney();
    const view = await waitForStage(handle, 'awaiting_shipment');

    expect(view).toMatchObject({ orderId: order.orderId, customerId: order.customerId, policy: 'production' });
    expect(view.messages).toEqual([
      expect.objectContaining({ step: 'confirmation', channel: 'email', messageType: 'confirmation', status: 'sent' }),
      expect.objectContaining({ step: 'confirmation', channel: 'sms', messageType: 'confirmation', status: 'sent' }),
    ]);
    expect(view.timeline.map((t) => t.event)).toEqual([
      'Order placed; journey started',
      'confirmation email sent',
      'confirmation sms sent',
    ]);
    // Waiting for the shipment, until the policy's deadline (30 days after the journey started).
    const started = Date.parse(view.timeline[0]!.at);
    expect(view.plan[0]).toMatchObject({ step: 'shipment', dueAt: new Date(started + 30 * 86_400_000).toISOString() });
  });
});
