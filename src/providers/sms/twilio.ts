/**
 * SMS through Twilio's Messages API, with the official SDK. Sends from a Messaging Service when one is configured
 * (Twilio then picks the sender from the service's pool), otherwise from a single number.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { OutgoingSms, SendReceipt, SmsProvider } from '../types';
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
}
