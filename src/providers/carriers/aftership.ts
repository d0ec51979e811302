/**
 * Carrier tracking through AfterShip's Tracking API, with the official SDK (`@aftership/tracking-sdk`): it creates and
 * lists trackings, takes a `domain` (our `baseUrl`: a proxy or a local test server) and runs on Node >= 16. It has no
 * webhook verification, so that stays ours (below). The SDK's own retries are off: the activity's retry policy owns
 * retrying, with its backoff and the message's deadline.
 *
 * AfterShip tags map onto our statuses; `Exception` with the sub-status "returning to sender" (Exception_010) or
 * "returned to sender" (Exception_011) is our `returned_to_sender`. `Pending` (no carrier data yet) and `Expired` (no
 * news for 30 days, AfterShip stopped tracking) give no status: our journey notices silent parcels itself and reports
 * them as stalled, which is what an expired tracking means for the customer.
 *
 * Webhooks: `{ event: "tracking_update", event_id, msg: <tracking>, ts }`, signed in `aftership-hmac-sha256` (the
 * base64 HMAC-SHA256 of the raw body with the webhook secret), compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AfterShip, AfterShipErrorCodes, AftershipError } from '@aftership/tracking-sdk';
import type { Tracking as AfterShipTrackingObject } from '@aftership/tracking-sdk/dist/model/Tracking';
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
/** The Tracking API version the SDK speaks (AfterShip versions its API by date, in the path; the SDK pins one). */
export const AFTERSHIP_API_VERSION = '2026-07';
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

export function afterShipStatus(tag: string | undefined, subtag?: string | null): TrackingStatus | null {
  if (tag === 'Exception' && subtag && RETURN_TO_SENDER_SUBTAGS.has(subtag)) return 'returned_to_sender';
  return tag ? (TAGS[tag] ?? null) : null;
}

export class AfterShipTracking implements CarrierTracking {
  readonly name = PROVIDER;
  private readonly client: AfterShip;

  constructor(private readonly options: AfterShipOptions) {
    this.client = new AfterShip({
      api_key: options.apiKey,
      domain: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''), // the SDK refuses a trailing slash
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      max_retry: 0,
    });
  }

  async registerTracker(carrier: string, trackingNumber: string): Promise<void> {
    try {
      await call(() =>
        this.client.tracking.createTracking({ tracking_number: trackingNumber, slug: carrier.toLowerCase() }),
      );
    } catch (err) {
      if (err instanceof AfterShipRefusal && err.metaCode === TRACKING_ALREADY_EXISTS) return;
      throw err;
    }
  }

  async latestStatus(carrier: string, trackingNumber: string): Promise<TrackingUpdate | null> {
    const query = { tracking_numbers: trackingNumber, slug: carrier.toLowerCase() };
    const { data } = await call(() => this.client.tracking.getTrackings(query));
    const tracking = data?.trackings?.[0];
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
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new WebhookSignatureError(PROVIDER, 'bad_signature');

    const payload = JSON.parse(rawBody.toString('utf8')) as {
      event?: string;
      event_id?: string;
      msg?: AfterShipTrackingObject;
      ts?: number;
    };
    const tracking = payload.msg;
    if (payload.event !== 'tracking_update' || !tracking?.tracking_number || !payload.event_id) return [];
    const { status, occurredAt, description } = normalize(tracking, payload.ts);
    return [
      {
        trackingNumber: tracking.tracking_number,
        carrier: (tracking.slug ?? '').toLowerCase(),
        status,
        occurredAt,
        eventId: payload.event_id,
        ...(description ? { description } : {}),
      },
    ];
  }
}

/**
 * One SDK call, its failures in our terms: an HTTP refusal by status (5xx, 408 and 429 retry) with AfterShip's meta
 * code; no answer (refused connection, timeout) retries; anything else is rethrown as it is.
 */
async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    if (!(err instanceof AftershipError)) throw err;
    const status = err.status_code ? Number(err.status_code) : undefined;
    // The SDK keeps only the message of a transport error ("connect ECONNREFUSED 127.0.0.1:9"); its code is in there.
    const network =
      err.code === AfterShipErrorCodes.TIMED_OUT
        ? 'ETIMEDOUT'
        : /\b(E[A-Z_]{3,}|UND_ERR_[A-Z_]+)\b/.exec(err.message)?.[1];
    const failure = classifyCarrierFailure(PROVIDER, status, network, err.message || 'no details');
    if (!failure) throw err;
    throw status ? new AfterShipRefusal(failure, err.meta_code ?? undefined) : failure;
  }
}

/** An AfterShip refusal, with AfterShip's own meta code (e.g. 4003 "tracking already exists"). */
export class AfterShipRefusal extends CarrierError {
  constructor(
    refusal: CarrierError,
    readonly metaCode: number | undefined,
  ) {
    super(
      refusal.provider,
      metaCode !== undefined ? String(metaCode) : refusal.code,
      refusal.message,
      refusal.retryable,
    );
  }
}

/**
 * The tracking's status, with the time and message of the newest checkpoint. Checkpoint times are in the checkpoint's
 * local time and may lack an offset; such a time is not an instant, so the checkpoint's `created_at` (UTC, when
 * AfterShip recorded it) stands in, then the tracking's `updated_at`, then the webhook's timestamp.
 */
function normalize(
  tracking: AfterShipTrackingObject,
  webhookTs: number | undefined,
): { status: TrackingStatus | null; occurredAt: string; description?: string } {
  const checkpoints = tracking.checkpoints ?? [];
  const latest = [...checkpoints].reverse().find((c) => c.tag === tracking.tag) ?? checkpoints.at(-1);
  const hasOffset = (t?: string | null) => !!t && /(Z|[+-]\d\d:?\d\d)$/.test(t) && !Number.isNaN(Date.parse(t));
  const when = [latest?.checkpoint_time, latest?.created_at, tracking.updated_at].find(hasOffset);
  const occurredAt = when
    ? new Date(when).toISOString()
    : new Date((webhookTs ?? Date.now() / 1000) * 1000).toISOString();
  const description = latest?.message ?? tracking.subtag_message ?? undefined;
  return {
    status: afterShipStatus(tracking.tag, tracking.subtag),
    occurredAt,
    ...(description ? { description } : {}),
  };
}
