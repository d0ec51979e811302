/**
 * SMS through Twilio's Messages API, with the official SDK. Sends from a Messaging Service when one is configured
 * (Twilio then picks the sender from the service's pool), otherwise from a single number.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { ProviderError, type OutgoingSms, type SendReceipt, type SmsProvider } from '../types';
import { classifyTwilioError } from './twilio-errors';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** E.164 sender number; used when no Messaging Service is configured. */
  from?: string;
  /** Preferred over `from`: Twilio chooses the sender from the service's pool. */
  messagingServiceSid?: string;
  /** Where Twilio reports each message's delivery (sent, delivered, undelivered, failed). */
  statusCallbackUrl?: string;
  /** Instead of https://api.twilio.com: a proxy or a local test server. */
  baseUrl?: string;
  /** Per request, below the activity's start-to-close timeout so a hung connection becomes a retryable timeout. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Messages to the number looked at, newest first, when checking whether an unanswered send was taken. */
const LOOKUP_LIMIT = 50;
/** How far Twilio's clock may be behind ours when comparing a message's creation with our call's start. */
const CLOCK_MARGIN_MS = 5 * 60_000;

/**
 * The SDK has no base URL option; its hook is a custom HTTP client. This one keeps the SDK's request as built (path,
 * auth, form body) and only moves it to another origin, keeping any path prefix the base URL has (e.g. a proxy's).
 */
class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: URL,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = new URL(opts.uri);
    const uri = new URL(this.baseUrl.pathname.replace(/\/$/, '') + target.pathname + target.search, this.baseUrl).href;
    return super.request({ ...opts, uri });
  }
}

/**
 * Twilio's status callbacks carry the MessageSid but none of our identifiers; the ledger id in the URL lets a callback
 * find its ledger row even when the create response (and so the sid) was lost. Twilio signs the full URL, query
 * included.
 */
function statusCallbackFor(url: string, ledgerId: string): string {
  const withLedger = new URL(url);
  withLedger.searchParams.set('ledgerId', ledgerId);
  return withLedger.href;
}

export class TwilioSmsProvider implements SmsProvider {
  readonly name = 'twilio';
  private readonly client: twilio.Twilio;

  constructor(private readonly options: TwilioOptions) {
    if (!options.messagingServiceSid && !options.from) {
      throw new Error('Twilio SMS needs a Messaging Service SID or a From number');
    }
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = twilio(options.accountSid, options.authToken, {
      timeout,
      ...(options.baseUrl ? { httpClient: new BaseUrlRequestClient(new URL(options.baseUrl), timeout) } : {}),
    });
  }

  async sendSms(sms: OutgoingSms): Promise<SendReceipt> {
    const { from, messagingServiceSid, statusCallbackUrl } = this.options;
    if (sms.retryOfUnanswered) {
      const taken = await this.findTaken(sms, sms.retryOfUnanswered.since);
      if (taken) return taken;
    }
    try {
      const message = await this.client.messages.create({
        to: sms.to,
        body: sms.body,
        ...(messagingServiceSid ? { messagingServiceSid } : { from }),
        ...(statusCallbackUrl ? { statusCallback: statusCallbackFor(statusCallbackUrl, sms.idempotencyKey) } : {}),
      });
      return { providerMessageId: message.sid };
    } catch (err) {
      throw classifyTwilioError(err) ?? err;
    }
  }

  /**
   * Did Twilio take this SMS on the unanswered call before? Twilio takes no idempotency key, but lists the messages
   * sent to a number: the same body to the same number, created since that call started (less a margin for the two
   * clocks), is this message — its body names the order and the step. Found: the retry records it instead of sending it
   * again. Twilio unreachable: retried later, never sent blind. A refused lookup (e.g. an API key without read access)
   * falls back to sending, as before this check, and may duplicate.
   */
  private async findTaken(sms: OutgoingSms, since: Date | undefined): Promise<SendReceipt | undefined> {
    const earliest = since ? since.getTime() - CLOCK_MARGIN_MS : 0;
    try {
      const recent = await this.client.messages.list({ to: sms.to, limit: LOOKUP_LIMIT });
      const taken = recent.find((m) => m.body === sms.body && m.dateCreated.getTime() >= earliest);
      return taken ? { providerMessageId: taken.sid } : undefined;
    } catch (err) {
      const classified = classifyTwilioError(err);
      if (classified && !classified.retryable) return undefined;
      if (!classified) throw err;
      // Still unknown whether the earlier call was taken: the next retry must look again, not send blind.
      throw new ProviderError('twilio', 'sms', `lookup:${classified.code}`, classified.message, true, {
        unanswered: true,
        ...(classified.retryAfterMs !== undefined ? { retryAfterMs: classified.retryAfterMs } : {}),
      });
    }
  }
}
