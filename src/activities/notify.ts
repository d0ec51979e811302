/**
 * Sending a customer message, exactly once per journey step and channel.
 *
 * The ledger row is claimed first; a row already sent (or finally failed) is reported, never sent again. The ledger id
 * travels to the provider as its idempotency key, so a retry after "provider accepted, ledger not yet updated" lands on
 * the same provider message where the provider honours such keys (the outbox does).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ConsentChange, SendBlock } from '../db/consent';
import type { LedgerStatus, MessageLedger } from '../db/ledger';
import type { CustomerPreferenceStore } from '../db/preferences';
import { sendVerdict, type CheckoutConsent, type CustomerStatements } from '../domain/consent';
import { mayHaveBeenAccepted } from '../domain/failover-rule';
import { isMarketing } from '../domain/message-kinds';
import type { Channel } from '../domain/order';
import type { UnsubscribeLinks } from '../domain/unsubscribe-token';
import { ProviderError, type EmailProvider, type SmsProvider } from '../providers/types';
import { renderEmail, renderSms, type CustomerMessage, type MessageType, type ShopDetails } from '../templates';

export interface SendCustomerMessageInput {
  journeyId: string;
  orderId: string;
  /** The journey step this message belongs to, e.g. "confirmation"; unique per journey and channel. */
  step: string;
  channel: Channel;
  /** Email address or E.164 phone number. */
  to: string;
  message: CustomerMessage;
  /**
   * Whose preferences apply. Absent only in sends scheduled before preferences existed: those count as a customer who
   * said nothing (no marketing without checkout consent).
   */
  customerId?: string;
  /** What checkout recorded with the order about marketing (`marketingConsent` and when the order was placed). */
  checkoutConsent?: CheckoutConsent;
}

export interface MessageOutcome {
  ledgerId: string;
  step: string;
  channel: Channel;
  messageType: MessageType;
  status: LedgerStatus;
  /** True when the ledger already held this message and nothing was sent now. */
  alreadyRecorded: boolean;
  error?: { code: string; message: string };
}

/**
 * The consent store as sending needs it (src/db/consent.ts): may this address get messages, and what a provider said.
 */
/** A message the journey stopped trying to send: its retry window (src/domain/send-deadlines.ts) ran out. */
export interface UndeliverableInput {
  journeyId: string;
  orderId: string;
  step: string;
  channel: Channel;
  messageType: MessageType;
  /** What the last attempt failed with, as Temporal reported it (no personal data: codes and provider messages). */
  reason: string;
}

export interface ConsentGate {
  blocked(channel: Channel, address: string): Promise<SendBlock | null>;
  record(change: ConsentChange): Promise<void>;
}

export interface NotifyDeps {
  ledger: MessageLedger;
  email: EmailProvider;
  sms: SmsProvider;
  shop: ShopDetails;
  /** Without one, every address counts as reachable (unit tests of the activity). */
  consent?: ConsentGate;
  /**
   * Customers' own preferences (marketing, channels turned off). Without the store nobody has said anything, so
   * marketing goes only where the order's checkout consent allows it.
   */
  preferences?: Pick<CustomerPreferenceStore, 'statements' | 'noteCheckoutConsent'>;
  /** Signs each marketing email's one-click unsubscribe link; without it the shop's generic link is shown. */
  unsubscribe?: Pick<UnsubscribeLinks, 'forCustomer'>;
  /** Told of each send whose previous attempt got no answer (a possible duplicate): the worker counts them. */
  onUncertainRetry?: (send: { ledgerId: string; messageType: string; channel: Channel }) => void;
}

/** The ledger's error code for a message whose retry window ran out. */
export const GAVE_UP = 'gave_up';

const BLOCK_REASONS: Record<SendBlock, string> = {
  opted_out: 'the customer opted out of this channel',
  contact_invalid: 'the provider reported this address cannot receive messages',
};

export function createNotifyActivities({
  ledger,
  email,
  sms,
  shop,
  consent,
  preferences,
  unsubscribe,
  onUncertainRetry,
}: NotifyDeps) {
  /** The customer's statements as of now, with this order's checkout consent noted first (once per order). */
  async function statementsOf({ customerId, checkoutConsent }: SendCustomerMessageInput): Promise<CustomerStatements> {
    if (!customerId || !preferences) return {};
    if (checkoutConsent?.marketing)
      await preferences.noteCheckoutConsent(customerId, checkoutConsent.orderId, new Date(checkoutConsent.at));
    return preferences.statements(customerId);
  }

  /**
   * Messages a provider accepted whose "sent" this worker could not write (the database away at that moment), by ledger
   * id, so the retry records them instead of sending them again. Per process and bounded: a worker killed in between
   * still resends (counted as uncertain, see `beginProviderCall`).
   */
  const acceptedUnrecorded = new Map<string, { provider: string; providerMessageId: string }>();
  async function recordSent(id: string, provider: string, providerMessageId: string): Promise<void> {
    try {
      await ledger.markSent(id, provider, providerMessageId);
      acceptedUnrecorded.delete(id);
    } catch (err) {
      if (acceptedUnrecorded.size >= 10_000) acceptedUnrecorded.delete(acceptedUnrecorded.keys().next().value!);
      acceptedUnrecorded.set(id, { provider, providerMessageId });
      throw err;
    }
  }

  return {
    /**
     * Records in the ledger that the journey gave up on a message (`gave_up`). A row the provider meanwhile accepted,
     * refused or skipped keeps what it says: the answer is the ledger's word on the message, whatever it is.
     */
    async recordUndeliverable(input: UndeliverableInput): Promise<MessageOutcome> {
      const { journeyId, orderId, step, channel, messageType } = input;
      const entry = await ledger.claim({ journeyId, orderId, step, channel, messageType });
      const unrecorded = acceptedUnrecorded.get(entry.id);
      if (entry.status === 'pending' && unrecorded)
        await recordSent(entry.id, unrecorded.provider, unrecorded.providerMessageId);
      else if (entry.status === 'pending')
        await ledger.markFailed(entry.id, 'journey', GAVE_UP, input.reason.slice(0, 500));
      const final = await ledger.find(entry.id);
      const status = final?.status ?? 'failed';
      const error = final?.errorCode ? { code: final.errorCode, message: final.errorMessage ?? '' } : undefined;
      return {
        ledgerId: entry.id,
        step,
        channel,
        messageType,
        status,
        alreadyRecorded: entry.status !== 'pending',
        ...(error ? { error } : {}),
      };
    },

    async sendCustomerMessage(input: SendCustomerMessageInput): Promise<MessageOutcome> {
      const { journeyId, orderId, step, channel, to, message, customerId } = input;
      const entry = await ledger.claim({ journeyId, orderId, step, channel, messageType: message.messageType });
      const outcome = (
        status: LedgerStatus,
        alreadyRecorded: boolean,
        error?: MessageOutcome['error'],
      ): MessageOutcome => ({
        ledgerId: entry.id,
        step,
        channel,
        messageType: message.messageType,
        status,
        alreadyRecorded,
        ...(error ? { error } : {}),
      });
      const unrecorded = acceptedUnrecorded.get(entry.id);
      if (entry.status === 'pending' && unrecorded) {
        // The provider accepted it on an earlier attempt of this worker, but the ledger could not say so (PostgreSQL
        // away): record it now instead of sending it again.
        await recordSent(entry.id, unrecorded.provider, unrecorded.providerMessageId);
        return outcome('sent', false);
      }
      if (entry.status !== 'pending') {
        const error = entry.errorCode ? { code: entry.errorCode, message: entry.errorMessage ?? '' } : undefined;
        return outcome(entry.status, true, error);
      }

      // Asked at send time, not when the journey started: an opt-out counts at once, for journeys already running too.
      // First the address ("may this address get anything here": SMS STOP, bounces), then the customer's preferences
      // (a channel turned off; marketing consent).
      const blocked = await consent?.blocked(channel, to);
      if (blocked) {
        await ledger.markSkipped(entry.id, BLOCK_REASONS[blocked], blocked);
        return outcome('skipped', false, { code: blocked, message: BLOCK_REASONS[blocked] });
      }
      const verdict = sendVerdict(
        await statementsOf(input),
        { messageType: message.messageType, channel },
        input.checkoutConsent,
      );
      if (!verdict.send) {
        await ledger.markSkipped(entry.id, verdict.reason, verdict.code);
        return outcome('skipped', false, { code: verdict.code, message: verdict.reason });
      }

      const context = { idempotencyKey: entry.id, journeyId, orderId, step, messageType: message.messageType };
      const provider = channel === 'email' ? email : sms;
      const marketing = isMarketing(message.messageType);
      // Marketing email carries the customer's own signed link, in the footer and as one-click List-Unsubscribe
      // headers.
      const link =
        marketing && channel === 'email' && customerId ? unsubscribe?.forCustomer(customerId, 'email') : undefined;
      const rendered = renderOrRefuse(() =>
        channel === 'email'
          ? { email: renderEmail(message, shop, link ? { unsubscribeUrl: link.url } : {}) }
          : { sms: renderSms(message, shop) },
      );
      // A previous call that never got an answer (worker killed mid-call, timeout) may have reached the provider: this
      // call may duplicate it. SendGrid, Twilio and Vonage take no idempotency key (Resend does: the ledger id), so it
      // is counted and shown, not hidden; a provider pair never sends it through its other provider, and Twilio is
      // asked for the message before it is sent again (src/providers/sms/twilio.ts).
      const { previousUnanswered, previousProvider, previousStartedAt } = await ledger.beginProviderCall(entry.id);
      if (previousUnanswered) onUncertainRetry?.({ ledgerId: entry.id, messageType: message.messageType, channel });
      // A provider pair (src/providers/failover/) keeps such a retry on the provider the unanswered call went to.
      const call = {
        ...context,
        ...(previousUnanswered
          ? {
              retryOfUnanswered: {
                ...(previousProvider ? { provider: previousProvider } : {}),
                ...(previousStartedAt ? { since: previousStartedAt } : {}),
              },
            }
          : {}),
        beforeProviderCall: (name: string) => ledger.noteProviderCall(entry.id, name),
      };
      try {
        const receipt = rendered.email
          ? await email.sendEmail({
              ...call,
              to,
              ...rendered.email,
              marketing,
              ...(link ? { headers: link.headers } : {}),
            })
          : await sms.sendSms({ ...call, to, body: rendered.sms });
        // The provider that accepted it: a provider pair says which of its two did.
        await recordSent(entry.id, receipt.provider ?? provider.name, receipt.providerMessageId);
        return outcome('sent', false);
      } catch (err) {
        if (err instanceof ProviderError && !err.retryable) {
          // Final for this message, not for the journey: record it and let the journey go on.
          await ledger.markFailed(entry.id, err.provider, err.code, err.message);
          await recordConsequence(consent, err, channel, to);
          return outcome('failed', false, { code: err.code, message: err.message });
        }
        // Answered, or provably never sent (connection refused): the call's outcome is known.
        if (err instanceof ProviderError && !mayHaveBeenAccepted(err)) await ledger.endProviderCall(entry.id);
        if (err instanceof ProviderError) {
          // nextRetryDelay: the provider said when to come back (e.g. SendGrid's rate-limit reset); otherwise the
          // policy's backoff.
          throw ApplicationFailure.create({
            message: `${err.provider} ${channel} send failed (${err.code}): ${err.message}`,
            type: 'ProviderUnavailable',
            nextRetryDelay: err.retryAfterMs,
          });
        }
        throw err;
      }
    },
  };
}

/**
 * A template that throws (a missing translation, bad data) throws again on every retry: fail at once, without retries,
 * and let the journey record the message as not sent (src/workflows/send.ts) instead of retrying it for days.
 */
function renderOrRefuse<T>(render: () => T): T {
  try {
    return render();
  } catch (err) {
    throw ApplicationFailure.nonRetryable(
      `the message could not be rendered: ${(err as Error)?.message ?? err}`,
      'TemplateFailed',
    );
  }
}

/**
 * What a final refusal says about the address, into the consent store: the recipient opted out at the provider (Twilio
 * 21610) → opted_out, so the next message is skipped instead of refused again; the address is invalid (Twilio 21211) →
 * invalid. `alert` is about our account, not the address: the ledger's error code is what operators watch for.
 */
async function recordConsequence(
  consent: ConsentGate | undefined,
  err: ProviderError,
  channel: Channel,
  to: string,
): Promise<void> {
  if (!consent || (err.consequence !== 'opted_out' && err.consequence !== 'contact_invalid')) return;
  await consent.record({
    channel,
    address: to,
    status: err.consequence === 'opted_out' ? 'opted_out' : 'invalid',
    source: `${err.provider}:${err.code}`,
    reason:
      err.consequence === 'opted_out'
        ? 'the provider refused: the recipient opted out'
        : 'the provider refused: invalid address',
  });
}
