/**
 * When a marketing message may go: the customer's consent, their quiet hours and the frequency cap, decided in one
 * place just before the journey waits for the message's time.
 *
 * The frequency cap is a reservation in PostgreSQL (src/db/marketing-slots.ts): the activity reserves the first time
 * at or after the message's due time that is at least 24 hours from every other marketing message of the customer (any
 * journey: other orders, replenishment reminders) and inside their quiet-hours window, under a per-customer lock so two
 * journeys reaching the cap at the same instant get different slots. The workflow then sleeps until that slot (a
 * durable timer) and sends; consent is asked again at send time, so an opt-out during the wait still stops it.
 */
import type { MarketingSlots } from '../db/marketing-slots';
import type { CustomerPreferenceStore } from '../db/preferences';
import { marketingVerdict, type CheckoutConsent, type SkipCode } from '../domain/consent';
import { localTime, nextSendTime, type SendWindow } from '../domain/quiet-hours';

export interface MarketingSlotInput {
  customerId: string;
  journeyId: string;
  /** The journey step of the message, e.g. "review-request": one reservation per step (retries find it). */
  step: string;
  /** When the message is due, in workflow time (ISO). */
  earliest: string;
  /** Minimum distance between two marketing messages of the customer (24 h; one policy day in the demo). */
  spacingMs: number;
  /** The customer's quiet hours; absent when the journey's days are not real days (the demo policy). */
  quietHours?: { zones: string[]; window: SendWindow };
  checkoutConsent?: CheckoutConsent;
}

export type MarketingSlot =
  | {
      status: 'reserved';
      /** When the message may go (ISO, workflow time). */
      at: string;
      /** What moved it past its due time, if anything. */
      deferredBy: 'quiet_hours' | 'frequency_cap' | null;
    }
  | { status: 'declined'; code: SkipCode; reason: string };

export interface MarketingDeps {
  preferences?: Pick<CustomerPreferenceStore, 'statements' | 'noteCheckoutConsent'>;
  /** Without it (unit tests of activities) there is no cap: only quiet hours move a message. */
  marketingSlots?: Pick<MarketingSlots, 'reserve'>;
}

export interface QuietHoursQuestion {
  /** Workflow time now (ISO). */
  at: string;
  zones: string[];
  window: SendWindow;
}

export interface QuietHoursAnswer {
  /** The first instant at or after `at` inside the window in every zone (ISO): `at` itself when it already is. */
  sendAt: string;
  /** Local wall-clock time at `at` in the first zone ("23:40"), for the journey's timeline. */
  localNow: string;
}

export function createMarketingActivities({ preferences, marketingSlots }: MarketingDeps) {
  return {
    /**
     * When quiet hours end for a recipient, computed in the worker (its ICU time-zone data) and recorded in history, so
     * a replay on a worker with other tz data (a Node upgrade, a DST rule change) reaches the same decision.
     */
    async quietHoursEnd({ at, zones, window }: QuietHoursQuestion): Promise<QuietHoursAnswer> {
      const now = new Date(at);
      return { sendAt: nextSendTime(now, zones, window).toISOString(), localNow: localTime(now, zones[0]!) };
    },

    /**
     * Reserves the time a marketing message may go, or declines when the customer takes no marketing (no slot is held
     * for a message that will not go; the send then records it as skipped). Idempotent per journey and step.
     */
    async reserveMarketingSlot(input: MarketingSlotInput): Promise<MarketingSlot> {
      const { customerId, checkoutConsent } = input;
      if (preferences && checkoutConsent?.marketing) {
        await preferences.noteCheckoutConsent(customerId, checkoutConsent.orderId, new Date(checkoutConsent.at));
      }
      const verdict = marketingVerdict(preferences ? await preferences.statements(customerId) : {}, checkoutConsent);
      if (!verdict.send) return { status: 'declined', code: verdict.code, reason: verdict.reason };

      const earliest = new Date(input.earliest);
      const { quietHours } = input;
      const fit = quietHours ? (at: Date) => nextSendTime(at, quietHours.zones, quietHours.window) : (at: Date) => at;
      const at = marketingSlots
        ? (
            await marketingSlots.reserve({
              customerId,
              journeyId: input.journeyId,
              step: input.step,
              earliest,
              spacingMs: input.spacingMs,
              fit,
            })
          ).at
        : fit(earliest);
      const deferredBy =
        at.getTime() === earliest.getTime()
          ? null
          : at.getTime() === fit(earliest).getTime()
            ? 'quiet_hours'
            : 'frequency_cap';
      return { status: 'reserved', at: at.toISOString(), deferredBy };
    },
  };
}
