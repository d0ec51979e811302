/** What the journey needs from a carrier-tracking provider (EasyPost, AfterShip, …), in our own status taxonomy. */
import type { TrackingStatus, TrackingUpdate } from '../../domain/tracking-status';
import { SOCKET_ERROR_CODES } from '../types';

export interface CarrierTracking {
  readonly name: string;
  /** The parcel's latest known status, or null when the provider knows nothing (yet) about it. */
  latestStatus(carrier: string, trackingNumber: string): Promise<TrackingUpdate | null>;
  /**
   * Asks the provider to follow a parcel, so that its webhooks report the parcel's progress. Idempotent: registering a
   * parcel the provider already follows succeeds. Optional: a polling-only provider (or a test double) leaves it out.
   * Throws CarrierError.
   */
  registerTracker?(carrier: string, trackingNumber: string): Promise<void>;
  /**
   * Whether anyone can answer for this carrier's parcels (false: polling would only ever learn nothing). Default true.
   */
  canTrack?(carrier: string): boolean;
  /**
   * Verifies a webhook request's signature over the raw body and turns it into our events. Throws
   * WebhookSignatureError when the signature is missing or wrong: nothing in the body may be trusted then.
   */
  parseWebhook?(rawBody: Buffer, headers: WebhookHeaders): CarrierWebhookEvent[];
}

/** Request headers as node gives them: lowercased names. */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

/** One carrier update from a provider's webhook, normalized. */
export interface CarrierWebhookEvent {
  trackingNumber: string;
  /** Our carrier code (lowercase, e.g. "ups"), as fulfilment registers parcels. */
  carrier: string;
  /** Null when the provider's status has no meaning in our taxonomy (EasyPost "unknown", AfterShip "Pending"). */
  status: TrackingStatus | null;
  /** When the carrier saw it happen (ISO instant). */
  occurredAt: string;
  /** The provider's id for this event; a redelivery carries the same id. */
  eventId: string;
  description?: string;
}

/** The webhook's signature is missing or does not match: the request is refused and nothing changes. */
export class WebhookSignatureError extends Error {
  constructor(
    readonly provider: string,
    readonly reason: 'missing_signature' | 'bad_signature',
  ) {
    super(`${provider} webhook signature ${reason === 'missing_signature' ? 'missing' : 'does not match'}`);
    this.name = 'WebhookSignatureError';
  }
}

/** A tracking provider's refusal: retryable (5xx, 429, network) or final (an unknown tracking number, a bad key). */
export class CarrierError extends Error {
  constructor(
    readonly provider: string,
    /** The provider's code or the HTTP status. */
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'CarrierError';
  }
}

/** Transport failures: the request may not have reached the provider, or its answer did not reach us. */
const NETWORK_CODES = new Set([
  ...SOCKET_ERROR_CODES,
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/** Classifies a failure by HTTP status or transport code; undefined for anything else (a bug: rethrow as is). */
export function classifyCarrierFailure(
  provider: string,
  status: number | undefined,
  code: unknown,
  message: string,
): CarrierError | undefined {
  if (typeof status === 'number' && status > 0) {
    const retryable = status === 429 || status === 408 || status >= 500;
    return new CarrierError(provider, String(status), `${provider} refused (HTTP ${status}): ${message}`, retryable);
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code))
    return new CarrierError(provider, code, `${provider} did not answer (${code})`, true);
  if (code === 'ABORT_ERR' || code === 23 /* DOMException TIMEOUT_ERR */)
    return new CarrierError(provider, 'timeout', `${provider} did not answer in time`, true);
  return undefined;
}

/** Used when no tracking provider is configured: polling learns nothing, so silent parcels are reported as stalled. */
export class NoCarrierTracking implements CarrierTracking {
  readonly name = 'none';
  canTrack(): boolean {
    return false;
  }
  async latestStatus(): Promise<TrackingUpdate | null> {
    return null;
  }
}
