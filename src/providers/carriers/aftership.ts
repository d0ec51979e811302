/**
 * Carrier tracking through AfterShip's Tracking API (REST, versioned path `/tracking/<version>`), with plain fetch.
 *
 * AfterShip tags map onto our statuses; `Exception` with the sub-status "returning to sender" (Exception_010) or
 * "returned to sender" (Exception_011) is our `returned_to_sender`. `Pending` (no carrier data yet) and `Expired` (no
 * news for 30 days, AfterShip stopped tracking) give no status: our journey notices silent parcels itself and reports
 * them as stalled, which is what an expired tracking means for the customer.
 *
 * Webhooks: `{ event: "tracking_update", event_id, msg: <tracking>, ts }`, signed in `aftership-hmac-sha256` (the base64
 * HMAC-SHA256 of the raw body with the webhook secret), compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TrackingStatus, TrackingUpdate } from '../../domain/tracking-status';
import {
  classifyCarrierFailure,
  CarrierError,
  WebhookSignatureError,
  type CarrierTracking,
  type CarrierWebhookEvent,
  type WebhookHeaders,
} from './types';

export interface AfterShipOptions {
  apiKey: string;
  /** The secret AfterShip signs webhooks with. Without it, every webhook is refused. */
  webhookSecret?: string;
  /** Instead of https://api.aftership.com: a proxy or a local test server. */
  baseUrl?: string;
  timeoutMs?: number;
}

const PROVIDER = 'aftership';
const DEFAULT_BASE_URL = 'https://api.aftership.com';
/** The Tracking API version this adapter speaks (AfterShip versions its API by date, in the path). */
export const AFTERSHIP_API_VERSION = '2025-07';
const DEFAULT_TIMEOUT_MS = 20_000;
/** AfterShip's meta code for "tracking already exists": registering twice is fine. */
const TRACKING_ALREADY_EXISTS = 4003;

const TAGS: Record<string, TrackingStatus | null> = {
  Pending: null,
  InfoReceived: 'label_created',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AvailableForPickup: 'available_for_pickup',
  AttemptFail: 'attempt_failed',
  Delivered: 'delivered',
  Exception: 'exception',
  Expired: null,
};
const RETURN_TO_SENDER_SUBTAGS = new Set(['Exception_010', 'Exception_011']);

/** The parts of AfterShip's tracking object we read. */
interface AfterShipTrackingObject {
  id?: string;
  tracking_number: string;
  slug: string;
  tag: string;
  subtag?: string | null;
  subtag_message?: string | null;
  updated_at?: string | null;
  checkpoints?: { checkpoint_time?: string | null; created_at?: string | null; tag?: string; subtag?: string | null; message?: string | null }[];
}

interface AfterShipEnvelope<T> {
  meta: { code: number; message?: string; type?: string };
  data: T;
}

export function afterShipStatus(tag: string, subtag?: string | null): TrackingStatus | null {
  if (tag === 'Exception' && subtag && RETURN_TO_SENDER_SUBTAGS.has(subtag)) return 'returned_to_sender';
  return TAGS[tag] ?? null;
}

export class AfterShipTracking implements CarrierTracking {
  readonly name = PROVIDER;
  private readonly base: string;

  constructor(private readonly options: AfterShipOptions) {
    this.base = `${(options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/$/, '')}/tracking/${AFTERSHIP_API_VERSION}`;
  }

  async registerTracker(carrier: string, trackingNumber: string): Promise<void> {
    try {
      await this.request('POST', '/trackings', { tracking_number: trackingNumber, slug: carrier.toLowerCase() });
    } catch (err) {
      if (err instanceof AfterShipRefusal && err.metaCode === TRACKING_ALREADY_EXISTS) return;
      throw err;
    }
  }

  async latestStatus(carrier: string, trackingNumber: string): Promise<TrackingUpdate | null> {
    const query = new URLSearchParams({ tracking_numbers: trackingNumber, slug: carrier.toLowerCase() });
    const { trackings } = await this.request<{ trackings?: AfterShipTrackingObject[] }>('GET', `/trackings?${query}`);
    const tracking = trackings?.[0];
    if (!tracking) return null;
    const { status, occurredAt, description } = normalize(tracking, undefined);
    return status === null ? null : { status, occurredAt, ...(description ? { description } : {}) };
  }

  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): CarrierWebhookEvent[] {
    const signature = headers['aftership-hmac-sha256'];
    if (typeof signature !== 'string' || !signature) throw new WebhookSignatureError(PROVIDER, 'missing_signature');
    if (!this.options.webhookSecret) throw new WebhookSignatureError(PROVIDER, 'bad_signature');
    const expected = createHmac('sha256', this.options.webhookSecret).update(rawBody).digest();
    const given = Buffer.from(signature, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new WebhookSignatureError(PROVIDER, 'bad_signature');

    const payload = JSON.parse(rawBody.toString('utf8')) as { event?: string; event_id?: string; msg?: AfterShipTrackingObject; ts?: number };
    const tracking = payload.msg;
    if (payload.event !== 'tracking_update' || !tracking?.tracking_number || !payload.event_id) return [];
    const { status, occurredAt, description } = normalize(tracking, payload.ts);
    return [
      {
        trackingNumber: tracking.tracking_number,
        carrier: tracking.slug.toLowerCase(),
        status,
        occurredAt,
        eventId: payload.event_id,
        ...(description ? { description } : {}),
      },
    ];
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: { 'as-api-key': this.options.apiKey, 'content-type': 'application/json', accept: 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: unknown } };
      const code = e.name === 'TimeoutError' ? 'ETIMEDOUT' : e.cause?.code;
      throw classifyCarrierFailure(PROVIDER, undefined, code, String(err)) ?? err;
    }
    const text = await response.text();
    let envelope: AfterShipEnvelope<T> | undefined;
    try {
      envelope = JSON.parse(text) as AfterShipEnvelope<T>;
    } catch {
      envelope = undefined;
    }
    if (response.ok && envelope) return envelope.data;
    const refusal = classifyCarrierFailure(PROVIDER, response.status, undefined, envelope?.meta?.message ?? (text.slice(0, 200) || 'no details'))!;
    throw new AfterShipRefusal(refusal, envelope?.meta?.code);
  }
}

/** An AfterShip refusal, with AfterShip's own meta code (e.g. 4003 "tracking already exists"). */
export class AfterShipRefusal extends CarrierError {
  constructor(
    refusal: CarrierError,
    readonly metaCode: number | undefined,
  ) {
    super(refusal.provider, metaCode !== undefined ? String(metaCode) : refusal.code, refusal.message, refusal.retryable);
  }
}

/**
 * The tracking's status, with the time and message of the newest checkpoint. Checkpoint times are in the checkpoint's
 * local time and may lack an offset; such a time is not an instant, so the checkpoint's `created_at` (UTC, when AfterShip
 * recorded it) stands in, then the tracking's `updated_at`, then the webhook's timestamp.
 */
function normalize(tracking: AfterShipTrackingObject, webhookTs: number | undefined): { status: TrackingStatus | null; occurredAt: string; description?: string } {
  const checkpoints = tracking.checkpoints ?? [];
  const latest = [...checkpoints].reverse().find((c) => c.tag === tracking.tag) ?? checkpoints.at(-1);
  const hasOffset = (t?: string | null) => !!t && /(Z|[+-]\d\d:?\d\d)$/.test(t) && !Number.isNaN(Date.parse(t));
  const when = [latest?.checkpoint_time, latest?.created_at, tracking.updated_at].find(hasOffset);
  const occurredAt = when ? new Date(when).toISOString() : new Date((webhookTs ?? Date.now() / 1000) * 1000).toISOString();
  const description = latest?.message ?? tracking.subtag_message ?? undefined;
  return { status: afterShipStatus(tracking.tag, tracking.subtag), occurredAt, ...(description ? { description } : {}) };
}
