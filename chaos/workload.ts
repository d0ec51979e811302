/**
 * The workload: N orders through the HTTP API as checkout, fulfilment, carriers, the review platform and support would
 * drive them. Journey i follows the same script in every scenario (its kind depends on i only), so its messages can be
 * compared with the control run's journey i. Scripts are chosen so that their outcome does not depend on timing when
 * nothing goes wrong (e.g. the good review arrives before delivery, so the review request never races it). Under the
 * demo policy a journey "day" is a second, so every step follows the previous one at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiCaller } from './http';

export type JourneyKind =
  'standard' | 'two-parcels' | 'good-review' | 'bad-review' | 'return' | 'cancel' | 'problem' | 'late-scan';

/** Repeats every 20 journeys: 25 % standard, 10 % each returns and cancels, the rest spread over the other stories. */
const PATTERN: JourneyKind[] = [
  'standard',
  'bad-review',
  'return',
  'cancel',
  'late-scan',
  'two-parcels',
  'good-review',
  'problem',
  'standard',
  'two-parcels',
  'standard',
  'late-scan',
  'bad-review',
  'problem',
  'good-review',
  'standard',
  'return',
  'standard',
  'problem',
  'cancel',
];

const SERUM = { sku: 'SERUM-30', name: 'Vitamin C serum 30 ml', quantity: 2, unitPrice: '24.50' };
const TOWEL = { sku: 'TOWEL-01', name: 'Bamboo towel', quantity: 1, unitPrice: '10.90' };

type Status = 'in_transit' | 'out_for_delivery' | 'attempt_failed' | 'delivered';

interface ParcelPlan {
  trackingNumber: string;
  items: { sku: string; quantity: number }[];
  statuses: Status[];
}

export interface JourneyPlan {
  index: number;
  kind: JourneyKind;
  orderId: string;
  workflowId: string;
  sms: boolean;
  /** Unique per journey: consent is kept per address. */
  phone: string;
  parcels: ParcelPlan[];
  returnTrackingNumber?: string;
  expectedStage: 'completed' | 'cancelled';
  /** Journey-specific texts in ledger steps (order id, tracking numbers) → the same placeholder in every scenario. */
  tokens: [string, string][];
}

export interface WorkloadOptions {
  journeys: number;
  /** Orders placed per second. */
  rate: number;
  /** Carrier scans are reported this many seconds after they happened (0: at once); the late-scan kind adds 20 s. */
  scanAgeSeconds: number;
}

/** Order ids `<runTag><scenario code>-<i>`: unique per run and scenario, parseable back to i. */
export function planJourneys(prefix: string, count: number, phoneBase: number): JourneyPlan[] {
  return Array.from({ length: count }, (_, index) => {
    const kind = PATTERN[index % PATTERN.length]!;
    const orderId = `${prefix}-${index}`;
    const tn = (n: number) => `${prefix.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}${index}P${n}`;
    const parcels: ParcelPlan[] =
      kind === 'cancel'
        ? []
        : kind === 'two-parcels'
          ? [
              {
                trackingNumber: tn(1),
                items: [{ sku: SERUM.sku, quantity: 2 }],
                statuses: ['in_transit', 'delivered'],
              },
              {
                trackingNumber: tn(2),
                items: [{ sku: TOWEL.sku, quantity: 1 }],
                statuses: ['in_transit', 'out_for_delivery', 'delivered'],
              },
            ]
          : [
              {
                trackingNumber: tn(1),
                items: [
                  { sku: SERUM.sku, quantity: 2 },
                  { sku: TOWEL.sku, quantity: 1 },
                ],
                statuses:
                  kind === 'problem'
                    ? ['in_transit', 'out_for_delivery', 'attempt_failed', 'out_for_delivery', 'delivered']
                    : ['in_transit', 'out_for_delivery', 'delivered'],
              },
            ];
    const returnTrackingNumber = kind === 'return' ? tn(9) : undefined;
    const tokens: [string, string][] = [
      [orderId, '{order}'],
      ...parcels.map((p, n): [string, string] => [p.trackingNumber, `{parcel${n + 1}}`]),
      ...(returnTrackingNumber ? [[returnTrackingNumber, '{return-parcel}'] as [string, string]] : []),
    ];
    return {
      index,
      kind,
      orderId,
      workflowId: `order-${orderId}`,
      sms: index % 3 === 1,
      parcels,
      returnTrackingNumber,
      expectedStage: kind === 'cancel' ? 'cancelled' : 'completed',
      tokens,
      phone: `+3712${String(phoneBase + index).padStart(7, '0')}`,
    };
  });
}

/** A ledger step with the journey's own ids replaced, comparable across scenarios. */
export function normalizeStep(plan: JourneyPlan, step: string): string {
  let out = step;
  for (const [from, to] of plan.tokens) out = out.split(from).join(to);
  return out;
}

export interface JourneyRun {
  plan: JourneyPlan;
  /** The order as POSTed (a retry must send the very same content to get 200). */
  order?: Record<string, unknown>;
  /** Statuses of every answer to this order's POST /v1/orders. */
  placeAnswers: number[];
  /** Unexpected final answers of the script (after retries), e.g. "POST return → 409 refused". */
  problems: string[];
  finished: boolean;
}

export class Workload {
  readonly runs: JourneyRun[];
  /** Orders whose POST /v1/orders has been answered (any status). */
  placed = 0;
  /** Scripts that ended (the journeys themselves may still be running). */
  scriptsDone = 0;

  constructor(
    readonly plans: JourneyPlan[],
    private readonly api: ApiCaller,
    private readonly options: WorkloadOptions,
  ) {
    this.runs = plans.map((plan) => ({ plan, placeAnswers: [], problems: [], finished: false }));
  }

  /** Starts the scripts at the configured rate; resolves when every script has ended. */
  async run(): Promise<void> {
    const gap = 1000 / this.options.rate;
    const running: Promise<void>[] = [];
    for (const run of this.runs) {
      running.push(
        this.script(run)
          .catch((err: Error) => void run.problems.push(`script error: ${err.message}`))
          .finally(() => {
            run.finished = true;
            this.scriptsDone += 1;
          }),
      );
      await sleep(gap);
    }
    await Promise.all(running);
  }

  private async script(run: JourneyRun): Promise<void> {
    const { plan } = run;
    const { orderId } = plan;
    const at = `/v1/orders/${orderId}`;
    await this.placeOrder(run);
    if (!run.placeAnswers.some((s) => s === 201 || s === 200)) return;
    // Fulfilment does not wait for the confirmation email (and a journey closes as not_shipped 30 demo "days" —
    // seconds — after the order when nothing has shipped, so the script must not dawdle either).
    await this.getJourney(run);

    if (plan.kind === 'cancel') {
      await this.expect(run, 'POST', `${at}/cancel`, [200], {
        role: 'support',
        body: { reason: 'customer changed their mind' },
        headers: { 'idempotency-key': `${orderId}-cancel` },
      });
      await this.getJourney(run);
      return;
    }

    for (const parcel of plan.parcels) {
      await this.expect(run, 'POST', `${at}/shipments`, [201, 200], {
        body: { carrier: 'ups', trackingNumber: parcel.trackingNumber, items: parcel.items },
      });
    }
    const scanAge = this.options.scanAgeSeconds + (plan.kind === 'late-scan' ? 20 : 0);
    const longest = Math.max(...plan.parcels.map((p) => p.statuses.length));
    for (let step = 0; step < longest; step++) {
      for (const parcel of plan.parcels) {
        const status = parcel.statuses[step];
        if (status) await this.track(run, parcel.trackingNumber, status, step, scanAge);
      }
      if (step === 0 && plan.kind === 'good-review') {
        await this.expect(run, 'POST', `${at}/reviews`, [202], { body: { sku: SERUM.sku, rating: 5, text: 'Lovely' } });
      }
      await sleep(300);
    }
    if (plan.kind === 'bad-review') {
      await this.expect(run, 'POST', `${at}/reviews`, [202], {
        body: { sku: TOWEL.sku, rating: 1, text: 'Arrived torn' },
      });
    }
    if (plan.kind === 'return') await this.returnTowel(run);
    await this.getJourney(run);
  }

  /** The same order POSTed again, as a checkout that lost the first answer would: the answer's status. */
  async repost(run: JourneyRun): Promise<number> {
    if (!run.order) return 0;
    return (await this.api.call('POST', '/v1/orders', { body: run.order })).status;
  }

  private async placeOrder(run: JourneyRun): Promise<void> {
    const { plan } = run;
    const order = {
      orderId: plan.orderId,
      customerId: `cus-${plan.orderId}`,
      email: `anna+${plan.orderId}@example.com`,
      phone: plan.phone,
      name: 'Anna',
      locale: 'en',
      timeZone: 'Europe/Riga',
      channels: plan.sms ? ['email', 'sms'] : ['email'],
      marketingConsent: true,
      items: [SERUM, TOWEL],
      currency: 'EUR',
      total: '59.90',
      placedAt: new Date().toISOString(),
    };
    run.order = order;
    // Retried by hand (not by ApiCaller) so that every answer to this order's POST is kept for the API-restart check.
    const deadline = Date.now() + 180_000;
    for (;;) {
      const { status } = await this.api.call('POST', '/v1/orders', {
        body: order,
        retry: false,
        headers: { 'x-request-id': `chaos-${plan.orderId}` },
      });
      run.placeAnswers.push(status);
      if (run.placeAnswers.length === 1) this.placed += 1;
      if (
        status === 201 ||
        status === 200 ||
        (status > 0 && status < 500 && status !== 429) ||
        Date.now() > deadline ||
        this.api.expired
      ) {
        if (status !== 201 && status !== 200) run.problems.push(`POST /v1/orders → ${status}`);
        return;
      }
      await sleep(500);
    }
  }

  private async track(
    run: JourneyRun,
    trackingNumber: string,
    status: Status,
    step: number,
    scanAgeSeconds: number,
  ): Promise<void> {
    await this.expect(run, 'POST', `/v1/orders/${run.plan.orderId}/tracking-events`, [202], {
      body: {
        trackingNumber,
        status,
        occurredAt: new Date(Date.now() - scanAgeSeconds * 1000).toISOString(),
        eventId: `${trackingNumber}-${step}-${status}`,
      },
    });
  }

  /** Support opens a return for the towel once the order is delivered; the customer sends it back; it arrives. */
  private async returnTowel(run: JourneyRun): Promise<void> {
    const { plan } = run;
    const at = `/v1/orders/${plan.orderId}`;
    // Asked at once after the delivery scan, as support would when the customer calls; "not delivered yet" until the
    // journey has taken the scan in (it may still be busy with an earlier message), so that answer is retried.
    let rmaId: string | undefined;
    let last = '';
    const deadline = Date.now() + 120_000;
    while (!rmaId && Date.now() < deadline && !this.api.expired) {
      const answer = await this.api.call<{ rmaId?: string; error?: { message?: string } }>('POST', `${at}/returns`, {
        role: 'support',
        body: { items: [{ sku: TOWEL.sku, quantity: 1 }], reason: 'too small' },
        headers: { 'idempotency-key': `${plan.orderId}-return-1` },
      });
      last = `${answer.status} ${answer.body?.error?.message ?? ''}`.trim();
      if (answer.status === 201) rmaId = answer.body.rmaId;
      else if (answer.status === 409 && /not been delivered/.test(answer.body?.error?.message ?? '')) await sleep(500);
      else break;
    }
    if (!rmaId) {
      run.problems.push(`return not accepted: last answer ${last}`);
      return;
    }
    await this.expect(run, 'POST', `${at}/shipments`, [201, 200], {
      body: {
        carrier: 'dhl',
        trackingNumber: plan.returnTrackingNumber,
        items: [{ sku: TOWEL.sku, quantity: 1 }],
        rmaId,
      },
    });
    await sleep(300);
    await this.track(run, plan.returnTrackingNumber!, 'delivered', 0, 0);
  }

  private async getJourney(run: JourneyRun): Promise<{ stage: string } | undefined> {
    const { status, body } = await this.api.call<{ stage: string }>('GET', `/v1/orders/${run.plan.orderId}/journey`, {
      role: 'support',
    });
    return status === 200 ? body : undefined;
  }

  private async expect(
    run: JourneyRun,
    method: 'GET' | 'POST',
    path: string,
    statuses: number[],
    options: { role?: 'checkout' | 'support'; body?: unknown; headers?: Record<string, string> },
  ): Promise<void> {
    if (this.api.expired) {
      run.problems.push(`${method} ${path.replace(run.plan.orderId, ':id')} not sent: scenario time is up`);
      return;
    }
    const { status, body } = await this.api.call(method, path, options);
    if (!statuses.includes(status)) {
      const code = (body as { error?: { code?: string } } | null)?.error?.code;
      run.problems.push(`${method} ${path.replace(run.plan.orderId, ':id')} → ${status}${code ? ` ${code}` : ''}`);
    }
  }
}
