/**
 * Carrier and delivery webhooks end to end on the Temporal dev server: fulfilment adds a shipment over the API, the
 * journey registers it with the tracking provider (EasyPost, or AfterShip for DPD), the provider's signed webhook moves
 * the parcel on, and the journey — read over the API — shows it, along with each message's delivery outcome.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import request from 'supertest';
import twilio from 'twilio';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Express } from 'express';
import { MessageLedger } from '../../src/db/ledger';
import { WebhookInbox } from '../../src/db/webhook-events';
import { createCarrierTracking } from '../../src/providers/carriers';
import type { WorkerGroup } from '../../src/temporal/journey-workers';
import type { WebhookStats } from '../../src/api/webhooks';
import {
  afterShipSignature,
  afterShipTracking,
  afterShipWebhook,
  easyPostEvent,
  easyPostSignature,
  easyPostTracker,
  startAfterShipStub,
  startEasyPostStub,
  type CarrierStub,
} from '../helpers/carrier-stubs';
import { testPool } from '../helpers/database';
import { anOrder } from '../helpers/fixtures';
import { eventually } from '../helpers/api-world';
import { createTestWorker, journeyActivities, startDevServerEnv } from '../helpers/temporal';
import { SENDGRID_API_KEY, TWILIO_ACCOUNT } from '../providers/messages';
import { PUBLIC_BASE_URL, webhookApp } from './webhook-app';

const taskQueue = 'webhooks-e2e';
const CHECKOUT = 'Bearer e2e-checkout-key';
const SUPPORT = 'Bearer e2e-support-key';
const EASYPOST_SECRET = 'easypost-webhook-secret';
const AFTERSHIP_SECRET = 'aftership-webhook-secret';
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pool = testPool();
const ledger = new MessageLedger(pool);
const inbox = new WebhookInbox(pool);
let env: TestWorkflowEnvironment;
let easypost: CarrierStub;
let aftership: CarrierStub;
let worker: WorkerGroup;
let running: Promise<void>;
let app: Express;
let stats: WebhookStats;

beforeAll(async () => {
  [env, easypost, aftership] = await Promise.all([startDevServerEnv(), startEasyPostStub(), startAfterShipStub()]);
  ({ app, stats } = webhookApp(
    pool,
    {
      TEMPORAL_TASK_QUEUE: taskQueue,
      API_KEYS_CHECKOUT: 'e2e-checkout-key',
      API_KEYS_SUPPORT: 'e2e-support-key',
      EASYPOST_API_KEY: 'EZTKtest0123456789',
      EASYPOST_WEBHOOK_SECRET: EASYPOST_SECRET,
      EASYPOST_BASE_URL: `${easypost.url}/v2`,
      AFTERSHIP_API_KEY: 'asat_test_0123456789',
      AFTERSHIP_WEBHOOK_SECRET: AFTERSHIP_SECRET,
      AFTERSHIP_BASE_URL: aftership.url,
      CARRIER_TRACKING_PROVIDER: 'easypost',
      CARRIER_TRACKING_BY_CARRIER: 'dpd=aftership',
      SENDGRID_API_KEY,
      SENDGRID_FROM: 'orders@test-shop.example',
      SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT.accountSid,
      TWILIO_AUTH_TOKEN: TWILIO_ACCOUNT.authToken,
      TWILIO_FROM: '+14155550100',
    },
    env.client,
  ));
  // The worker tracks parcels as configured: EasyPost by default, AfterShip for DPD; messages go to the outbox.
  const config = {
    carrierTracking: {
      provider: 'easypost' as const,
      byCarrier: { dpd: 'aftership' as const },
      options: {
        easypost: { apiKey: 'EZTKtest0123456789', baseUrl: `${easypost.url}/v2` },
        aftership: { apiKey: 'asat_test_0123456789', baseUrl: aftership.url },
      },
    },
  };
  worker = await createTestWorker(env, taskQueue, pool, {
    activities: journeyActivities(pool, { carriers: createCarrierTracking(config).tracking }),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await easypost?.stop();
  await aftership?.stop();
  await pool.end();
});

const journeyOf = async (orderId: string) =>
  (await request(app).get(`/v1/orders/${orderId}/journey`).set('Authorization', SUPPORT).expect(200)).body;

async function shippedOrder(carrier: string, trackingNumber: string) {
  const order = anOrder();
  await request(app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(201);
  await eventually(
    async () => ((await journeyOf(order.orderId)).stage === 'awaiting_shipment' ? true : undefined),
    'confirmation',
  );
  const items = order.items.map(({ sku, quantity }) => ({ sku, quantity }));
  await request(app)
    .post(`/v1/orders/${order.orderId}/shipments`)
    .set('Authorization', CHECKOUT)
    .send({ carrier, trackingNumber, items })
    .expect(201);
  return order;
}

const parcelStatus = async (orderId: string) => (await journeyOf(orderId)).shipments[0]?.status as string | undefined;

function postEasyPost(body: string, signature = easyPostSignature(body, EASYPOST_SECRET)) {
  return request(app)
    .post('/v1/webhooks/tracking/easypost')
    .set('Content-Type', 'application/json')
    .set('X-Hmac-Signature', signature)
    .send(body);
}

function postAfterShip(body: string, signature = afterShipSignature(body, AFTERSHIP_SECRET)) {
  return request(app)
    .post('/v1/webhooks/tracking/aftership')
    .set('Content-Type', 'application/json')
    .set('aftership-hmac-sha256', signature)
    .send(body);
}

describe('carrier webhooks', () => {
  it('EasyPost: the shipment is registered with EasyPost, and its signed webhook moves the parcel on in the journey', async () => {
    const trackingNumber = 'EZ3000000003';
    const order = await shippedOrder('usps', trackingNumber);
    const registration = await eventually(
      async () => easypost.calls.find((c) => c.method === 'POST' && c.body.includes(trackingNumber)),
      'the tracker registered with EasyPost',
    );
    expect(JSON.parse(registration.body)).toEqual({ tracker: { tracking_code: trackingNumber, carrier: 'USPS' } });

    const body = JSON.stringify(
      easyPostEvent(
        `evt_${randomUUID().replace(/-/g, '')}`,
        easyPostTracker(trackingNumber, undefined, new Date().toISOString()),
      ),
    );
    // A tampered copy first: refused, and the parcel stays where it was.
    const refusedBefore = stats.refusedFor('easypost');
    await postEasyPost(
      body.replace('"out_for_delivery"', '"delivered"'),
      easyPostSignature(body, EASYPOST_SECRET),
    ).expect(401);
    await postEasyPost(body, '').expect(401);
    expect(stats.refusedFor('easypost')).toBe(refusedBefore + 2);

    const res = await postEasyPost(body).expect(200);
    expect(res.body).toEqual({ received: 1, outcomes: ['applied'] });
    expect(
      await eventually(
        async () => ((await parcelStatus(order.orderId)) === 'out_for_delivery' ? 'out_for_delivery' : undefined),
        'out for delivery',
      ),
    ).toBe('out_for_delivery');

    const outForDelivery = async () => {
      const outbox = await request(app)
        .get(`/v1/outbox?orderId=${order.orderId}`)
        .set('Authorization', CHECKOUT)
        .expect(200);
      return outbox.body.messages.filter((m: { messageType: string }) => m.messageType === 'out_for_delivery')
        .length as number;
    };
    // The parcel's status moves first; its messages follow from the journey's parcel loop.
    await eventually(
      async () => ((await outForDelivery()) === 2 ? true : undefined),
      'the out-for-delivery email and SMS',
    );

    // EasyPost retries the same event: handled once.
    await postEasyPost(body).expect(200, { received: 1, outcomes: ['duplicate'] });
    expect(await outForDelivery()).toBe(2); // email and SMS, once each
  });

  it('AfterShip: a DPD parcel is registered with AfterShip, and its signed webhook moves the parcel on', async () => {
    const trackingNumber = `0522${Date.now().toString().slice(-8)}`;
    const order = await shippedOrder('dpd', trackingNumber);
    await eventually(
      async () => aftership.calls.find((c) => c.method === 'POST' && c.body.includes(trackingNumber)),
      'the tracking registered with AfterShip',
    );

    const body = JSON.stringify(
      afterShipWebhook(randomUUID(), afterShipTracking(trackingNumber, 'InTransit', { at: new Date().toISOString() })),
    );
    await postAfterShip(body.replace('InTransit', 'Delivered'), afterShipSignature(body, AFTERSHIP_SECRET)).expect(401);
    await postAfterShip(body).expect(200);
    await eventually(
      async () => ((await parcelStatus(order.orderId)) === 'in_transit' ? true : undefined),
      'in transit',
    );
  });

  it('an update for a tracking number no order has is answered 202 and kept for support', async () => {
    const trackingNumber = `9400${Date.now()}`; // nobody shipped it
    const eventId = `evt_${randomUUID().replace(/-/g, '')}`;
    const body = JSON.stringify(easyPostEvent(eventId, easyPostTracker(trackingNumber, 'in_transit')));
    const res = await postEasyPost(body).expect(202);
    expect(res.body.outcomes).toEqual(['unmatched']);
    expect(await inbox.unmatched({ provider: 'easypost', lookupKey: trackingNumber })).toEqual([
      expect.objectContaining({
        eventId,
        reason: 'unknown_tracking_number',
        event: expect.objectContaining({ trackingNumber, status: 'in_transit' }),
      }),
    ]);
  });

  it('a webhook without its secret configured is answered 503, so the provider retries later', async () => {
    const { app: bare } = webhookApp(pool, {}, env.client);
    await request(bare)
      .post('/v1/webhooks/tracking/aftership')
      .set('Content-Type', 'application/json')
      .send('{}')
      .expect(503);
  });
});

describe('delivery status in the journey', () => {
  it('shows each message as the provider last reported it: delivered, or failed with the reason', async () => {
    const order = anOrder();
    await request(app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(201);
    await eventually(
      async () => ((await journeyOf(order.orderId)).stage === 'awaiting_shipment' ? true : undefined),
      'confirmation',
    );
    const rows = await ledger.forOrder(order.orderId);
    const email = rows.find((r) => r.channel === 'email')!;
    const sms = rows.find((r) => r.channel === 'sms')!;

    // SendGrid reports the email delivered.
    const payload = JSON.stringify([
      {
        email: order.email,
        timestamp: Math.floor(Date.now() / 1000),
        event: 'delivered',
        sg_event_id: randomUUID(),
        sg_message_id: 'abc.filter1',
        ledgerId: email.id,
      },
    ]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    await request(app)
      .post('/v1/webhooks/sendgrid/events')
      .set('Content-Type', 'application/json')
      .set(
        'X-Twilio-Email-Event-Webhook-Signature',
        sign('sha256', Buffer.from(timestamp + payload), sendgridKeys.privateKey).toString('base64'),
      )
      .set('X-Twilio-Email-Event-Webhook-Timestamp', timestamp)
      .send(payload)
      .expect(200);

    // Twilio reports the SMS undelivered.
    const path = `/v1/webhooks/twilio/status?ledgerId=${sms.id}`;
    const form = {
      MessageSid: `SM${'c3'.repeat(16)}`,
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
      To: order.phone!,
    };
    await request(app)
      .post(path)
      .type('form')
      .set(
        'X-Twilio-Signature',
        twilio.getExpectedTwilioSignature(TWILIO_ACCOUNT.authToken, `${PUBLIC_BASE_URL}${path}`, form),
      )
      .send(form)
      .expect(200);

    const journey = await journeyOf(order.orderId);
    expect(journey.messages).toEqual([
      expect.objectContaining({ step: 'confirmation', channel: 'email', status: 'delivered' }),
      expect.objectContaining({
        step: 'confirmation',
        channel: 'sms',
        status: 'failed',
        error: { code: '30003', message: 'undelivered: unreachable destination handset' },
      }),
    ]);
  });
});
