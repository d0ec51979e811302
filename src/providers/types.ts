/**
 * What the journey needs from a messaging provider, and nothing more. SendGrid, Twilio and the local outbox implement
 * it.
 */
import type { Channel } from '../domain/order';

/** Who and what a message is about: carried to the provider so its events can be matched back to the ledger. */
export interface MessageContext {
  /** The ledger row's id. Providers that support it use it to drop a repeated send. */
  idempotencyKey: string;
  journeyId: string;
  orderId: string;
  step: string;
  messageType: string;
  /**
   * Set when this message's previous provider call got no answer (src/db/ledger.ts): the provider it went to, when
   * known, and when that call started. A provider pair sends it to that provider only, never to the other
   * (docs/failover.md); a provider that can be asked for its recent messages (Twilio) looks for it there first.
   */
  retryOfUnanswered?: { provider?: string; since?: Date };
  /** Told the provider's name before each provider call, so the ledger knows where an unanswered call went. */
  beforeProviderCall?: (provider: string) => Promise<void>;
}

export interface OutgoingEmail extends MessageContext {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * Marketing rather than transactional: sent in the unsubscribe group when one is configured. Transactional by
   * default.
   */
  marketing?: boolean;
  /**
   * Extra headers to send as given, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058) on marketing email.
   * Never the ones the provider sets itself (From, To, Subject, Content-Type…).
   */
  headers?: Record<string, string>;
}

export interface OutgoingSms extends MessageContext {
  to: string;
  body: string;
}

export interface SendReceipt {
  providerMessageId: string;
  /** The provider that accepted the message, when not the one called (a failover pair names which of its two did). */
  provider?: string;
}

export interface EmailProvider {
  readonly name: string;
  sendEmail(email: OutgoingEmail): Promise<SendReceipt>;
}

export interface SmsProvider {
  readonly name: string;
  sendSms(sms: OutgoingSms): Promise<SendReceipt>;
}

/**
 * What a final refusal says about the recipient or our account, for whoever records it: the contact is invalid, the
 * recipient opted out (never retry, suppress), or our configuration/credentials need a human (alert).
 */
export type ProviderConsequence = 'contact_invalid' | 'opted_out' | 'alert';

/** Optional facts an adapter may add to its classification. */
export interface ProviderErrorDetails {
  /** For retryable refusals: how long the provider asked us to wait (e.g. SendGrid's X-RateLimit-Reset on 429). */
  retryAfterMs?: number;
  consequence?: ProviderConsequence;
  /** No answer came (timeout, connection reset): the provider may have accepted the message. */
  unanswered?: boolean;
}

/**
 * A provider's refusal, classified once by its adapter. Retryable ones (5xx, 429, timeouts) go back to Temporal's retry
 * policy; the others are final for that message and are recorded in the ledger instead of failing the journey.
 */
export class ProviderError extends Error {
  readonly retryAfterMs?: number;
  readonly consequence?: ProviderConsequence;
  readonly unanswered: boolean;

  constructor(
    readonly provider: string,
    readonly channel: Channel,
    /** The provider's own code, e.g. Twilio's "21211" or an HTTP status. */
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    details: ProviderErrorDetails = {},
  ) {
    super(message);
    this.name = 'ProviderError';
    this.retryAfterMs = details.retryAfterMs;
    this.consequence = details.consequence;
    this.unanswered = details.unanswered ?? false;
  }
}

/** Socket failures every HTTP client reports: the request may not have reached the provider, or its answer not us. */
export const SOCKET_ERROR_CODES: readonly string[] = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
];
