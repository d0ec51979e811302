/**
 * The journeys the bench drives through the HTTP API, as checkout, fulfilment, carriers and support would: the happy
 * path (one parcel, three carrier events), a split shipment, a return and a cancellation. Carrier events go to
 * POST …/tracking-events back to back (the journey answers each parcel's news in order).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchHttp } from './http';
import { benchOrder, SERUM, TOWEL } from './orders';

export type Story = 'happy' | 'split' | 'return' | 'cancel';
export const STORIES: Story[] = ['happy', 'split', 'return', 'cancel'];

type Status = 'in_transit' | 'out_for_delivery' | 'delivered';
const THREE_EVENTS: Status[] = ['in_transit', 'out_for_delivery', 'delivered'];
/** A 503 (no worker answered in time: a saturated worker) is retried as fulfilment and carriers would; counted. */
const RETRY = { retries503: 10 };

/**
 * Plays one story for `orderId`; resolves when the last request is answered (the journey runs on by itself), with the
 * number of updates the journey refused on the way (billed by Temporal Cloud, but never written to history).
 */
export async function playStory(
  http: BenchHttp,
  story: Story,
  orderId: string,
  replenishmentIntervalDays: number,
): Promise<{ refusedUpdates: number }> {
  const at = `/v1/orders/${orderId}`;
  await http.call('POST', '/v1/orders', benchOrder(orderId, { replenishmentIntervalDays }), [201]);
  if (story === 'cancel') {
    await http.call('POST', `${at}/cancel`, { reason: 'customer changed their mind' }, [200], {
      ...RETRY,
      role: 'support',
      headers: { 'idempotency-key': `${orderId}-cancel` },
    });
    return { refusedUpdates: 0 };
  }
  const tn = (n: number) => `${orderId.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}P${n}`;
  const parcels =
    story === 'split'
      ? [
          {
            trackingNumber: tn(1),
            items: [{ sku: SERUM.sku, quantity: SERUM.quantity }],
            statuses: ['in_transit', 'delivered'] as Status[],
          },
          { trackingNumber: tn(2), items: [{ sku: TOWEL.sku, quantity: TOWEL.quantity }], statuses: THREE_EVENTS },
        ]
      : [
          {
            trackingNumber: tn(1),
            items: [
              { sku: SERUM.sku, quantity: SERUM.quantity },
              { sku: TOWEL.sku, quantity: TOWEL.quantity },
            ],
            statuses: THREE_EVENTS,
          },
        ];
  for (const p of parcels)
    await http.call(
      'POST',
      `${at}/shipments`,
      { carrier: 'ups', trackingNumber: p.trackingNumber, items: p.items },
      [201, 200],
      RETRY,
    );
  for (const p of parcels) {
    for (const [step, status] of p.statuses.entries()) {
      await http.call(
        'POST',
        `${at}/tracking-events`,
        {
          trackingNumber: p.trackingNumber,
          status,
          occurredAt: new Date().toISOString(),
          eventId: `${p.trackingNumber}-${step}`,
        },
        [202],
        RETRY,
      );
    }
  }
  return { refusedUpdates: story === 'return' ? await returnTowel(http, orderId, tn(9)) : 0 };
}

/**
 * Support accepts a return of the towel once the journey has taken the delivery in (asked after a pause, again with a
 * new key while the answer is "not delivered yet": a refusal is final for its key); the parcel comes back.
 */
async function returnTowel(http: BenchHttp, orderId: string, trackingNumber: string): Promise<number> {
  const at = `/v1/orders/${orderId}`;
  const deadline = Date.now() + 120_000;
  for (let refused = 0; ; refused++) {
    await sleep(1_000);
    const answer = await http.call<{ rmaId?: string; error?: { message?: string } }>(
      'POST',
      `${at}/returns`,
      { items: [{ sku: TOWEL.sku, quantity: 1 }], reason: 'too small' },
      [201, 409],
      {
        ...RETRY,
        role: 'support',
        headers: { 'idempotency-key': `${orderId}-return-${refused}` },
      },
    );
    if (answer.status === 201) {
      await http.call(
        'POST',
        `${at}/shipments`,
        { carrier: 'dhl', trackingNumber, items: [{ sku: TOWEL.sku, quantity: 1 }], rmaId: answer.body.rmaId },
        [201, 200],
        RETRY,
      );
      await http.call(
        'POST',
        `${at}/tracking-events`,
        {
          trackingNumber,
          status: 'delivered',
          occurredAt: new Date().toISOString(),
          eventId: `${trackingNumber}-back`,
        },
        [202],
        RETRY,
      );
      return refused;
    }
    if (!/not been delivered/.test(answer.body?.error?.message ?? '') || Date.now() > deadline)
      throw new Error(`return refused: ${answer.body?.error?.message}`);
  }
}
