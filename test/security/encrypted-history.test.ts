/**
 * Customer data never sits in plain text in Temporal: histories, memo, search attributes and summaries are checked
 * byte for byte on the dev server, through a client that does NOT hold the keys (as anyone with database or UI access).
 */
import request from 'supertest';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../src/config';
import { journeyWorkflowId, orderSchema } from '../../src/domain/order';
import { productionPolicy } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { buildApi } from '../../src/server';
import type { WorkerGroup } from '../../src/temporal/journey-workers';
import { journeyQuery } from '../../src/workflows/definitions';
import { testPool } from '../helpers/database';
import { anOrder } from '../helpers/fixtures';
import { createTestWorker, startDevServerEnv } from '../helpers/temporal';
import { journeyInput } from '../../src/journeys/journey-start';

const taskQueue = 'encrypted-history';
const pool = testPool();
let env: TestWorkflowEnvironment;
let worker: WorkerGroup;
let running: Promise<void>;
/** Sees Temporal as an operator without the keys does. */
let keyless: Client;

beforeAll(async () => {
  env = await startDevServerEnv();
  worker = await createTestWorker(env, taskQueue, pool);
  running = worker.run();
  keyless = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await pool.end();
});

const customer = { email: 'ilze.kalnina@example.lv', phone: '+37129111222', name: 'Ilze Kalniņa' };

async function untilAwaitingShipment(client: Client, workflowId: string) {
  for (let i = 0; i < 100; i++) {
    if ((await env.client.workflow.getHandle(workflowId).query(journeyQuery)).stage === 'awaiting_shipment') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`journey ${workflowId} never confirmed (${client === keyless ? 'keyless' : 'keyed'} start)`);
}

describe('personal data in Temporal', () => {
  it('never appears in the raw history bytes, memo, search attributes or summaries of a journey', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
    const app = buildApi(config, pool, env.client, productionPolicy, createLogger({ level: 'silent' }));
    const order = anOrder({ ...customer, channels: ['email', 'sms'] });
    await request(app).post('/v1/orders').set('Authorization', 'Bearer dev-checkout-key').send(order).expect(201);
    const workflowId = journeyWorkflowId(order.orderId);
    await untilAwaitingShipment(env.client, workflowId);

    const handle = keyless.workflow.getHandle(workflowId);
    const history = await handle.fetchHistory();
    const historyBytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    const raw = await keyless.workflowService.describeWorkflowExecution({
      namespace: env.namespace ?? 'default',
      execution: { workflowId },
    });
    const infoBytes = Buffer.from(
      temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(raw).finish(),
    );

    for (const secret of [customer.email, customer.phone, customer.name, 'Ilze']) {
      expect(historyBytes.includes(secret)).toBe(false);
      expect(infoBytes.includes(secret)).toBe(false); // memo, search attributes, summary, details
    }
    // Only opaque ids are searchable.
    expect(historyBytes.includes(order.orderId)).toBe(true);
    // The customer's messages did go out: the data was there, just never in plain text.
    expect((await env.client.workflow.getHandle(workflowId).query(journeyQuery)).messages).toHaveLength(2);
  });

  it('is readable again with the keys: the workflow input decodes to the order', async () => {
    const order = orderSchema.parse(anOrder(customer));
    const handle = await env.client.workflow.start('orderJourney', {
      workflowId: journeyWorkflowId(order.orderId),
      taskQueue,
      args: [journeyInput(order, productionPolicy)],
    });
    await untilAwaitingShipment(env.client, handle.workflowId);
    const started = (await handle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    const [input] = await env.client.options.loadedDataConverter.payloadCodecs[0]!.decode(started.input!.payloads!);
    expect(JSON.parse(Buffer.from(input!.data!).toString('utf8')).order.email).toBe(customer.email);
  });

  it('a journey started before encryption (plain input) still runs on an encrypting worker', async () => {
    const order = orderSchema.parse(anOrder(customer));
    const handle = await keyless.workflow.start('orderJourney', {
      workflowId: journeyWorkflowId(order.orderId),
      taskQueue,
      args: [journeyInput(order, productionPolicy)],
    });
    await untilAwaitingShipment(keyless, handle.workflowId);
    const view = await env.client.workflow.getHandle(handle.workflowId).query(journeyQuery);
    expect(view.messages.map((m) => m.status)).toEqual(['sent', 'sent']);
  });
});
