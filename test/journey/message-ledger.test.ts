/**
 * Never twice: every customer message goes through the ledger, so Temporal's retries cannot send it again.
 * Faults are injected around the real outbox provider and the real activity; the ledger and Temporal are real.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerGroup as Worker } from '../../src/temporal/journey-workers'; // the journey, email and SMS workers
import { MessageLedger } from '../../src/db/ledger';
import { OutboxStore } from '../../src/db/outbox';
import { journeyWorkflowId, orderSchema } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import { OutboxProvider } from '../../src/providers/outbox/outbox-provider';
import { ProviderError, type EmailProvider, type SmsProvider } from '../../src/providers/types';
import { journeyQuery } from '../../src/workflows/definitions';
import type { JourneyView } from '../../src/workflows/journey-state';
import { testPool } from '../helpers/database';
import { anOrder } from '../helpers/fixtures';
import { createTestWorker, journeyActivities, startTimeSkippingEnv } from '../helpers/temporal';
import { journeyInput } from '../../src/journeys/journey-start';

const pool = testPool();
const outbox = new OutboxStore(pool);
const ledger = new MessageLedger(pool);
const realProvider = new OutboxProvider(outbox);
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
  await pool.end();
});

/** Runs one journey (email only) on a worker with the given activities until the journey leaves confirmation. */
async function confirmOneOrder(
  activities: ReturnType<typeof journeyActivities>,
  channels: ('email' | 'sms')[] = ['email'],
) {
  const taskQueue = `ledger-${Math.random().toString(36).slice(2)}`;
  const worker: Worker = await createTestWorker(env, taskQueue, pool, { activities });
  const order = orderSchema.parse(anOrder({ channels }));
  const view = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start('orderJourney', {
      workflowId: journeyWorkflowId(order.orderId),
      taskQueue,
      args: [journeyInput(order, productionPolicy)],
    });
    for (let i = 0; i < 200; i++) {
      const v: JourneyView = await handle.query(journeyQuery);
      if (v.stage !== 'confirming') return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('journey stayed in confirmation');
  });
  return { order, view };
}

describe('the message ledger', () => {
  it('calls the provider again with the same idempotency key when it accepted but the activity failed before the ledger knew', async () => {
    // The provider stub counts calls and the keys they carry. The second call cannot be avoided (the ledger never heard
    // of the first answer); what the ledger guarantees is that it carries the same key, so a provider that honours
    // idempotency keys (our outbox; a dedupe on `ledgerId`) delivers one email.
    const keysReceived: string[] = [];
    const acceptsThenCrashesOnce: EmailProvider = {
      name: 'outbox',
      async sendEmail(email) {
        keysReceived.push(email.idempotencyKey);
        const receipt = await realProvider.sendEmail(email);
        if (keysReceived.length === 1) throw new Error('connection reset after the provider accepted the message');
        return receipt;
      },
    };
    const { order, view } = await confirmOneOrder(journeyActivities(pool, { email: acceptsThenCrashesOnce }));

    const [entry] = await ledger.forOrder(order.orderId);
    expect(keysReceived).toEqual([entry!.id, entry!.id]); // two calls, one key: the ledger entry's id
    expect(entry).toMatchObject({ step: 'confirmation', channel: 'email', status: 'sent', attempts: 2 });
    expect(await outbox.list({ orderId: order.orderId })).toHaveLength(1); // the idempotent provider kept one
    expect(view.messages).toEqual([expect.objectContaining({ channel: 'email', status: 'sent' })]);
  });

  it('does not call the provider again when the activity failed after the ledger recorded the send', async () => {
    let providerCalls = 0;
    const counting: EmailProvider = {
      name: 'outbox',
      async sendEmail(email) {
        providerCalls += 1;
        return realProvider.sendEmail(email);
      },
    };
    const activities = journeyActivities(pool, { email: counting });
    let attempts = 0;
    const crashesAfterRecording = {
      ...activities,
      async sendCustomerMessage(input: Parameters<typeof activities.sendCustomerMessage>[0]) {
        attempts += 1;
        const outcome = await activities.sendCustomerMessage(input);
        if (attempts === 1) throw new Error('worker lost before reporting completion');
        return outcome;
      },
    };
    const { order, view } = await confirmOneOrder(crashesAfterRecording);

    expect(attempts).toBe(2);
    expect(providerCalls).toBe(1);
    expect(await outbox.list({ orderId: order.orderId })).toHaveLength(1);
    expect(view.messages).toEqual([expect.objectContaining({ channel: 'email', status: 'sent' })]);
  });

  it('retries a provider outage until the message goes out', async () => {
    let calls = 0;
    const downTwice: EmailProvider = {
      name: 'outbox',
      async sendEmail(email) {
        calls += 1;
        if (calls <= 2) throw new ProviderError('outbox', 'email', '503', 'service unavailable', true);
        return realProvider.sendEmail(email);
      },
    };
    const { order } = await confirmOneOrder(journeyActivities(pool, { email: downTwice }));
    expect(calls).toBe(3);
    expect(await outbox.list({ orderId: order.orderId })).toHaveLength(1);
  });

  it('records a final refusal, shows it in the journey and carries on with the other channel', async () => {
    const refusesNumber: SmsProvider = {
      name: 'outbox',
      async sendSms() {
        throw new ProviderError('outbox', 'sms', '21211', "the 'To' number is not a valid phone number", false);
      },
    };
    const { order, view } = await confirmOneOrder(journeyActivities(pool, { sms: refusesNumber }), ['email', 'sms']);

    expect(view.stage).toBe('awaiting_shipment');
    expect(view.messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'email', status: 'sent' }),
        expect.objectContaining({
          channel: 'sms',
          status: 'failed',
          error: { code: '21211', message: expect.stringContaining('not a valid') },
        }),
      ]),
    );
    const entries = await ledger.forOrder(order.orderId);
    expect(entries.find((e) => e.channel === 'sms')).toMatchObject({
      status: 'failed',
      errorCode: '21211',
      attempts: 1,
    });
    expect((await outbox.list({ orderId: order.orderId })).map((m) => m.channel)).toEqual(['email']);
  });
});
