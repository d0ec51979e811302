/**
 * When a message may go, in workflow code: marketing waits for a reserved slot (consent, quiet hours and the frequency
 * cap, see src/activities/marketing.ts), and a non-urgent SMS waits for the customer's quiet hours to end. Both are
 * durable timers: the message is deferred, never dropped, and a worker restart changes nothing.
 *
 * Quiet hours are computed here from workflow time (src/domain/quiet-hours.ts), so replays give the same answer. They
 * apply when the journey's days are real days; under the demo policy (a "day" lasts a second) they are off, and the
 * frequency cap spaces marketing one policy day apart.
 *
 * Journeys that were already running keep their old behaviour up to this patch; from the next message on they use it.
 */
import { condition } from '@temporalio/workflow';
import { sincePatch } from './patches';
import type { CheckoutConsent } from '../domain/consent';
import { daysToMs, hasRealDays } from '../domain/durations';
import { MARKETING_SPACING_MS } from '../domain/marketing-cap';
import { DEFAULT_SEND_WINDOW, localTime, nextSendTime, type SendWindow } from '../domain/quiet-hours';
import type { RecipientZones } from '../domain/recipient-zones';
import { marketingSlots } from './activity-stubs';
import { isoNow as now, msUntil, sleepUntil, workflowNow } from './clock';

export const SEND_TIMING_PATCH = 'consent-quiet-hours-frequency-cap';
/**
 * Two reservations outstanding at once (tips and review request falling due together) made the journey's commands
 * depend on how the SDK groups local-activity results: one per activation live, all together on replay. A replay then
 * failed with a nondeterminism error and the journey stuck (issue 9, cause B). Since this patch a journey reserves one
 * slot at a time.
 */
export const ONE_RESERVATION_AT_A_TIME_PATCH = 'one-marketing-slot-reservation-at-a-time';

/** The journey's reservations, one after another (module state is per workflow run in the SDK's sandbox). */
let reservationQueue: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(reserve: () => Promise<T>): Promise<T> {
  const turn = reservationQueue.then(reserve, reserve);
  reservationQueue = turn.catch(() => undefined);
  return turn;
}

/**
 * Whether this run sends by the consent, quiet-hours and frequency-cap rules (false while replaying older histories).
 */
export function sendTimingApplies(): boolean {
  return sincePatch(SEND_TIMING_PATCH);
}

/** Who a message is for, as timing needs it. */
export interface Recipient {
  customerId: string;
  /** The journey (or replenishment) workflow: with the step, the reservation's key. */
  journeyId: string;
  zones: RecipientZones;
  checkoutConsent?: CheckoutConsent;
  policy: { secondsPerDay: number };
}

/** How a wait shows in the journey: a planned step while waiting, a timeline entry when deferred. */
export interface WaitReporter {
  planStep(step: string, description: string, dueAt: string | null): void;
  unplan(step: string): void;
  record(event: string): void;
}

export interface WaitOptions {
  /** Ends the wait early (e.g. the replenishment was stopped): the caller then decides whether to send. */
  interrupted?: () => boolean;
}

function quietHoursOf(recipient: Recipient): { zones: string[]; window: SendWindow } | undefined {
  return hasRealDays(recipient.policy) ? { zones: recipient.zones.zones, window: DEFAULT_SEND_WINDOW } : undefined;
}

function spacingOf(recipient: Recipient): number {
  return hasRealDays(recipient.policy) ? MARKETING_SPACING_MS : daysToMs(recipient.policy, 1);
}

/** "08:00 local" (or "08:00 UTC" when we do not know where the customer is). */
function windowOpens(recipient: Recipient): string {
  return `${DEFAULT_SEND_WINDOW.start} ${recipient.zones.basis === 'unknown' ? 'UTC (time zone unknown)' : 'local'}`;
}

function label(messageType: string): string {
  return messageType.replace(/_/g, ' ');
}

/**
 * Waits until this marketing message may go: reserves its slot (consent, quiet hours, frequency cap) and sleeps until
 * then. Returns false only when `interrupted` ended the wait. A customer without marketing consent gets no slot and no
 * wait: the send right after records the message as skipped, with the reason.
 */
export async function waitForMarketingSlot(
  recipient: Recipient,
  step: string,
  messageType: string,
  report: WaitReporter,
  options: WaitOptions = {},
): Promise<boolean> {
  const reserve = () =>
    marketingSlots().reserveMarketingSlot.executeWithOptions(
      { summary: `reserve a marketing slot for ${label(messageType)}` },
      [
        {
          customerId: recipient.customerId,
          journeyId: recipient.journeyId,
          step,
          earliest: now(),
          spacingMs: spacingOf(recipient),
          quietHours: quietHoursOf(recipient),
          checkoutConsent: recipient.checkoutConsent,
        },
      ],
    );
  let slot: Awaited<ReturnType<typeof reserve>>;
  try {
    slot = await (sincePatch(ONE_RESERVATION_AT_A_TIME_PATCH) ? oneAtATime(reserve) : reserve());
  } catch {
    // PostgreSQL unreachable for the reservation's whole window: the message goes late rather than never (consent is
    // still checked at send time; only the frequency cap is not).
    report.record(`${label(messageType)}: no marketing slot could be reserved; sending without one`);
    return true;
  }
  if (slot.status === 'declined' || slot.deferredBy === null) return true;

  const why =
    slot.deferredBy === 'quiet_hours'
      ? `quiet hours: wait until ${windowOpens(recipient)}`
      : 'frequency cap: one marketing message per customer a day';
  report.record(`${label(messageType)} deferred to ${slot.at} (${why})`);
  return waitUntil(`send:${step}`, `${label(messageType)} (${why})`, slot.at, why, report, options);
}

/**
 * Since this patch the end of quiet hours comes from the worker (an activity, recorded in history) instead of the
 * workflow's own Intl: a replay on a worker with other time-zone data reaches the same decision.
 */
export const QUIET_HOURS_FROM_WORKER_PATCH = 'quiet-hours-from-worker';

/** Waits, if needed, until the customer's quiet hours end (for an SMS that is not urgent). */
export async function waitForQuietHours(
  recipient: Recipient,
  step: string,
  messageType: string,
  report: WaitReporter,
  options: WaitOptions = {},
): Promise<boolean> {
  const quietHours = quietHoursOf(recipient);
  if (!quietHours) return true;
  const { sendAt, localNow } = await quietHoursEnd(quietHours.zones, quietHours.window);
  if (sendAt <= now()) return true;
  const why = `quiet hours: wait until ${windowOpens(recipient)}`;
  report.record(`${label(messageType)} SMS deferred to ${sendAt} (${why}; now ${localNow} there)`);
  return waitUntil(`send:${step}:sms`, `${label(messageType)} SMS (${why})`, sendAt, why, report, options);
}

async function quietHoursEnd(zones: string[], window: SendWindow): Promise<{ sendAt: string; localNow: string }> {
  const inWorkflow = () => ({
    sendAt: nextSendTime(workflowNow(), zones, window).toISOString(),
    localNow: localTime(workflowNow(), zones[0]!),
  });
  if (!sincePatch(QUIET_HOURS_FROM_WORKER_PATCH)) return inWorkflow();
  try {
    // One at a time, as reservations are (see ONE_RESERVATION_AT_A_TIME_PATCH).
    return await oneAtATime(() =>
      marketingSlots().quietHoursEnd.executeWithOptions({ summary: 'when quiet hours end for the customer' }, [
        { at: now(), zones, window },
      ]),
    );
  } catch {
    return inWorkflow(); // cannot fail in practice (pure computation); never let it stop a message
  }
}

async function waitUntil(
  planKey: string,
  description: string,
  at: string,
  summary: string,
  report: WaitReporter,
  { interrupted }: WaitOptions,
): Promise<boolean> {
  report.planStep(planKey, description, at);
  try {
    const ms = msUntil(at);
    if (ms <= 0) return true;
    if (!interrupted) {
      await sleepUntil(at, summary);
      return true;
    }
    // A durable timer that a signal may end early.
    return !(await condition(interrupted, ms, { summary }));
  } finally {
    report.unplan(planKey);
  }
}
