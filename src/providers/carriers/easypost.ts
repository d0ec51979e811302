/**
 * Carrier tracking through EasyPost's Trackers API, with the official SDK (`@easypost/api`).
 *
 * EasyPost statuses map onto ours one to one, except for the ones that say nothing about the parcel: `unknown` (no
 * carrier data yet), `error` (EasyPost could not track) and `cancelled` (the label was voided) give no status.
 * Test-mode tracking codes walk through them: EZ1000000001 pre_transit, EZ2000000002 in_transit, EZ3000000003
 * out_for_delivery, EZ4000000004 delivered, EZ5000000005 return_to_sender, EZ6000000006 failure, EZ7000000007 unknown.
 *
 * Webhooks: an `Event` (`tracker.created` / `tracker.updated`) whose `result` is the tracker, signed in
 * `X-Hmac-Signature` (`hmac-sha256-hex=` + the hex HMAC-SHA256 of the body with the webhook secret). The SDK's own
 * `validateWebhook` checks it, with a constant-time comparison and EasyPost's normalizations of secret and body.
 */
import type { TrackingStatus, TrackingUpdate } from '../../domain/tracking-status';
import { WebhookSignatureError, type CarrierTracking, type CarrierWebhookEvent, type WebhookHeaders } from './types';
import { classifyEasyPostError, easyPostClient, type EasyPost } from './easypost-client';

export interface EasyPostOptions {
  apiKey: string;
  /** The secret EasyPost signs webhooks with. Without it, every webhook is refused. */
  webhookSecret?: string;
  /** Instead of https://api.easypost.com/v2/: a proxy or a local test server. */
  baseUrl?: string;
  /** Per request, below the activity's start-to-close timeout. */
  timeoutMs?: number;
}

const PROVIDER = 'easypost';

const STATUSES: Record<string, TrackingStatus | null> = {
  pre_transit: 'label_created',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  available_for_pickup: 'available_for_pickup',
  delivered: 'delivered',
  return_to_sender: 'returned_to_sender',
  failure: 'exception',
  unknown: null,
  error: null,
  cancelled: null,
};

/** EasyPost's carrier names for our carrier codes; others are left for EasyPost to detect from the tracking code. */
const CARRIER_NAMES: Record<string, string> = {
  ups: 'UPS',
  usps: 'USPS',
  fedex: 'FedEx',
  dhl: 'DHLExpress',
  dpd: 'DPD',
};
const OUR_CODES: Record<string, string> = Object.fromEntries(
  Object.entries(CARRIER_NAMES).map(([ours, theirs]) => [theirs.toLowerCase(), ours]),
);

/** The parts of EasyPost's Tracker object we read (see its API reference). */
interface EasyPostTracker {
  id: string;
  tracking_code: string;
  status: string;
  carrier: string;
  updated_at: string;
  tracking_details?: { status: string; message?: string | null; datetime: string }[];
}

interface EasyPostEvent {
  id: string;
  object: 'Event';
  description: string;
  result?: EasyPostTracker & { object?: string };
}

export function easyPostStatus(status: string): TrackingStatus | null {
  return STATUSES[status] ?? null;
}

export class EasyPostTracking implements CarrierTracking {
  readonly name = PROVIDER;
  private readonly client: EasyPost;

  constructor(private readonly options: EasyPostOptions) {
    this.client = easyPostClient(options.apiKey, options);
  }

  async registerTracker(carrier: string, trackingNumber: string): Promise<void> {
    // EasyPost answers a repeated create (same code and carrier within three months) with the existing tracker.
    await this.call(() => this.client.Tracker.create({ tracking_code: trackingNumber, ...carrierParam(carrier) }));
  }

  async latestStatus(carrier: string, trackingNumber: string): Promise<TrackingUpdate | null> {
    const { trackers } = await this.call(() =>
      this.client.Tracker.all({ tracking_code: trackingNumber, ...carrierParam(carrier), page_size: 1 }),
    );
    const tracker = trackers[0] as unknown as EasyPostTracker | undefined;
    if (!tracker) return null;
    const { status, occurredAt, description } = normalize(tracker);
    return status === null ? null : { status, occurredAt, ...(description ? { description } : {}) };
  }

  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): CarrierWebhookEvent[] {
    if (!this.options.webhookSecret) throw new WebhookSignatureError(PROVIDER, 'bad_signature');
    const signature = headers['x-hmac-signature'];
    if (typeof signature !== 'string' || !signature) throw new WebhookSignatureError(PROVIDER, 'missing_signature');
    let event: EasyPostEvent;
    try {
      event = this.client.Utils.validateWebhook(
        rawBody,
        { 'X-Hmac-Signature': signature },
        this.options.webhookSecret,
      ) as EasyPostEvent;
    } catch {
      throw new WebhookSignatureError(PROVIDER, 'bad_signature');
    }
    const tracker = event.result;
    if (!event.description?.startsWith('tracker.') || !tracker?.tracking_code) return []; // other objects' events
    const { status, occurredAt, description } = normalize(tracker);
    return [
      {
        trackingNumber: tracker.tracking_code,
        carrier: ourCarrierCode(tracker.carrier),
        status,
        occurredAt,
        eventId: event.id,
        ...(description ? { description } : {}),
      },
    ];
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw classifyEasyPostError(err) ?? err;
    }
  }
}

function carrierParam(carrier: string): { carrier?: string } {
  const name = CARRIER_NAMES[carrier.toLowerCase()];
  return name ? { carrier: name } : {};
}

/** Our carrier code for EasyPost's carrier name ("UPS" → "ups"); other names lowercased. */
export function ourCarrierCode(easyPostCarrier: string | undefined): string {
  const lower = (easyPostCarrier ?? '').toLowerCase();
  return OUR_CODES[lower] ?? lower;
}

/** The tracker's status, with the time and message of the newest scan that reported it. */
function normalize(tracker: EasyPostTracker): {
  status: TrackingStatus | null;
  occurredAt: string;
  description?: string;
} {
  const details = tracker.tracking_details ?? [];
  const scan = [...details].reverse().find((d) => d.status === tracker.status) ?? details.at(-1);
  const when = scan?.datetime && !Number.isNaN(Date.parse(scan.datetime)) ? scan.datetime : tracker.updated_at;
  return {
    status: easyPostStatus(tracker.status),
    occurredAt: new Date(when).toISOString(),
    ...(scan?.message ? { description: scan.message } : {}),
  };
}
