/**
 * P5 — carrier news to customer: a signed EasyPost webhook into the API → the journey's message at the SendGrid stub,
 * vs a bare signal → an activity that calls a stub the same way, on the same server. Each journey (or baseline
 * workflow) gets two events in turn (in transit, out for delivery); a few journeys at a time, so that the figure is
 * latency, not queueing.
 */
import { createHmac } from 'node:crypto';
import { startProviderStub, type ProviderStub } from '../chaos/provider-stubs';
import { CHAOS_KEYS } from '../chaos/stack';
import { BenchHttp } from './http';
import { closedLoop, percentiles, ratio } from './load';
import { waitForSends } from './observe';
import { benchOrder, runTag, SERUM, TOWEL } from './orders';
import { LATE_REPLENISHMENT_DAYS } from './p3-history';
import { BASELINE_TASK_QUEUE, EASYPOST_WEBHOOK_SECRET, type BenchStack } from './stack';

export interface P5Options {
  journeys: number;
  concurrency: number;
}

export interface P5Result {
  events: number;
  concurrency: number;
  webhook: { p50Ms: number; p99Ms: number; failures: number };
  bare: { p50Ms: number; p99Ms: number; failures: number };
  p50Ratio: number;
  p99Ratio: number;
}

const STATUSES = ['in_transit', 'out_for_delivery'] as const;

export async function benchCarrierNews(b: BenchStack, o: P5Options, say: (m: string) => void): Promise<P5Result> {
  const tag = runTag();
  const http = new BenchHttp(b.stack.apiUrl, CHAOS_KEYS);
  const sendgrid = b.stack.sendgrid;
  const orderIds = Array.from({ length: o.journeys }, (_, i) => `p5${tag}-${i}`);
  say(`P5: ${o.journeys} journeys × ${STATUSES.length} signed EasyPost webhooks, ${o.concurrency} journeys at a time`);
  const webhook: number[] = [];
  const webhookRun = await closedLoop(o.journeys, o.concurrency, async (i) => {
    const orderId = orderIds[i]!;
    const trackingNumber = `${orderId.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}P1`;
    // Each journey is placed, confirmed and shipped just before its events (untimed): under the demo policy an order
    // not shipped within 30 "days" (seconds) ends, and a parcel silent for 5 sends a stall message of its own.
    const order = benchOrder(orderId, { replenishmentIntervalDays: LATE_REPLENISHMENT_DAYS });
    await http.call('POST', '/v1/orders', order, [201]);
    if (await waitForSends(sendgrid, [`order-${orderId}`], 1, 60_000)) throw new Error('no confirmation within 60 s');
    await http.call(
      'POST',
      `/v1/orders/${orderId}/shipments`,
      {
        carrier: 'ups',
        trackingNumber,
        items: [
          { sku: SERUM.sku, quantity: SERUM.quantity },
          { sku: TOWEL.sku, quantity: TOWEL.quantity },
        ],
      },
      [201],
    );
    for (const status of STATUSES) {
      const body = JSON.stringify(easyPostEvent(`evt_${trackingNumber}_${status}`, trackingNumber, status));
      const sentAt = Date.now();
      const seen = sendgrid.requests.length;
      await http
        .raw('POST', '/v1/webhooks/tracking/easypost', body, {
          'content-type': 'application/json',
          'x-hmac-signature': signature(body),
        })
        .then((r) => {
          if (r.status !== 200) throw new Error(`webhook → ${r.status} ${r.text.slice(0, 200)}`);
        });
      webhook.push(
        (await arrival(
          sendgrid,
          seen,
          (r) => r.journeyId === `order-${orderId}` && (r.step ?? '').startsWith(`parcel:${trackingNumber}:`),
        )) - sentAt,
      );
    }
  });
  http.close();

  const stub = await startProviderStub('sendgrid');
  const bare: number[] = [];
  let bareRun;
  try {
    const ids = Array.from({ length: o.journeys }, (_, i) => `echo-p5${tag}-${i}`);
    await closedLoop(o.journeys, 8, (i) =>
      b.bare.workflow
        .start('signalEcho', {
          workflowId: ids[i]!,
          taskQueue: BASELINE_TASK_QUEUE,
          args: [STATUSES.length, `${stub.url}/v3/mail/send`],
        })
        .then(() => undefined),
    );
    bareRun = await closedLoop(o.journeys, o.concurrency, async (i) => {
      const handle = b.bare.workflow.getHandle(ids[i]!);
      for (const status of STATUSES) {
        const id = `${ids[i]}-${status}`;
        const sentAt = Date.now();
        const seen = stub.requests.length;
        await handle.signal('benchEvent', id);
        bare.push((await arrival(stub, seen, (r) => r.journeyId === id)) - sentAt);
      }
    });
  } finally {
    await stub.stop();
  }
  const w = { ...percentiles(webhook), failures: webhookRun.failures };
  const s = { ...percentiles(bare), failures: bareRun?.failures ?? 0 };
  say(
    `  webhook → provider: p50 ${w.p50Ms} ms, p99 ${w.p99Ms} ms (${w.failures} failures${webhookRun.firstFailure ? `: ${webhookRun.firstFailure}` : ''}); bare signal → activity: p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms`,
  );
  return {
    events: webhook.length,
    concurrency: o.concurrency,
    webhook: w,
    bare: s,
    p50Ratio: ratio(w.p50Ms, s.p50Ms),
    p99Ratio: ratio(w.p99Ms, s.p99Ms),
  };
}

/** When (epoch ms, as the stub recorded it) the first matching request after index `from` arrived; 30 s at most. */
async function arrival(
  stub: ProviderStub,
  from: number,
  match: (r: ProviderStub['requests'][number]) => boolean,
): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (let i = from; ;) {
    for (; i < stub.requests.length; i++) if (match(stub.requests[i]!)) return stub.requests[i]!.at;
    if (Date.now() > deadline) throw new Error('no provider call within 30 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** `X-Hmac-Signature` as EasyPost signs: hex HMAC-SHA256 of the body with the NFKD-normalized secret. */
function signature(body: string): string {
  return `hmac-sha256-hex=${createHmac('sha256', Buffer.from(EASYPOST_WEBHOOK_SECRET.normalize('NFKD'), 'utf8'))
    .update(body, 'utf8')
    .digest('hex')}`;
}

/** EasyPost's tracker.updated event, with the fields the adapter reads. */
function easyPostEvent(id: string, trackingCode: string, status: string) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    id,
    object: 'Event',
    mode: 'test',
    description: 'tracker.updated',
    result: {
      id: `trk_${trackingCode.toLowerCase()}`,
      object: 'Tracker',
      mode: 'test',
      tracking_code: trackingCode,
      status,
      carrier: 'UPS',
      created_at: now,
      updated_at: now,
      tracking_details: [
        { object: 'TrackingDetail', message: status.replace(/_/g, ' '), status, datetime: now, source: 'UPS' },
      ],
    },
    status: 'pending',
    created_at: now,
    updated_at: now,
  };
}
