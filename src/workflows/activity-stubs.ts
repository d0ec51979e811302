/**
 * Activity stubs for workflow code, with the retry and timeout policies of each kind of side effect.
 * Only the activities' types are imported: their code runs in the worker, never in the workflow sandbox.
 */
import { proxyActivities, proxyLocalActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import { sincePatch } from './patches';
import type { JourneyActivities } from '../activities';
import type { Channel } from '../domain/order';
import { retryIntervalCapMs } from '../domain/send-deadlines';
import { channelTaskQueue } from '../domain/task-queues';

/**
 * Customer messages: the ledger makes retries safe, so retry transient failures (a provider outage) for the message
 * type's retry window (src/domain/send-deadlines.ts; a day by default), backing off to five minutes between attempts
 * (a tenth of a shorter window, so that the last attempt comes near its end).
 * Final provider refusals come back as a "failed" outcome, not an error; a window that runs out is an ActivityFailure
 * the sender turns into a recorded "gave up" (src/workflows/send.ts), never a failed journey.
 */
const MESSAGING_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};
export const messaging = proxyActivities<Pick<JourneyActivities, 'sendCustomerMessage'>>(MESSAGING_OPTIONS);

/**
 * Customer messages on the channel's own task queue, where the worker enforces the provider's quota server-side
 * (maxTaskQueueActivitiesPerSecond). Journeys that were already running keep sending on the journey's queue until this
 * patch point, so their histories replay unchanged.
 */
export function messagingFor(channel: Channel, retryWindowMs?: number): typeof messaging {
  // Options are not commands: changing them needs no patch (docs/versioning.md).
  const deadline: ActivityOptions = retryWindowMs
    ? {
        scheduleToCloseTimeout: retryWindowMs,
        retry: { ...MESSAGING_OPTIONS.retry, maximumInterval: retryIntervalCapMs(retryWindowMs) },
      }
    : {};
  if (!sincePatch('per-channel-queues'))
    return retryWindowMs
      ? proxyActivities<Pick<JourneyActivities, 'sendCustomerMessage'>>({ ...MESSAGING_OPTIONS, ...deadline })
      : messaging;
  return proxyActivities<Pick<JourneyActivities, 'sendCustomerMessage'>>({
    ...MESSAGING_OPTIONS,
    ...deadline,
    taskQueue: channelTaskQueue(workflowInfo().taskQueue, channel),
  });
}

/**
 * Recording a message the journey gave up on: one ledger write, retried while PostgreSQL is down for up to a week; past
 * that the journey's own timeline is the only record (src/workflows/send.ts).
 */
export const messageRecords = proxyActivities<Pick<JourneyActivities, 'recordUndeliverable'>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Marketing slots (consent, quiet hours, frequency cap) and the end of quiet hours: one short PostgreSQL transaction
 * (or a computation), idempotent per journey step, so retried until PostgreSQL answers (the message waits meanwhile,
 * which is what a cap is for anyway).
 */
const MARKETING_SLOT_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  // Past this the message goes without a reservation (src/workflows/send-timing.ts): late rather than never.
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
} satisfies ActivityOptions;
type MarketingSlotActivities = Pick<JourneyActivities, 'reserveMarketingSlot' | 'quietHoursEnd'>;

/**
 * Since this patch they are regular activities (about six more events per marketing message). As local activities,
 * one still running when its workflow task timed out (a starved worker) let the live run record its commands in an
 * order that a replay, which resolves every recorded result of a task at once, does not reproduce: the journey was
 * stuck at its next replay (issue 9, cause C). A regular activity's completion is an event of its own, which replay
 * delivers exactly where the live run saw it.
 */
export const MARKETING_SLOTS_AS_ACTIVITIES_PATCH = 'marketing-slots-as-activities';
const marketingSlotsLocal = proxyLocalActivities<MarketingSlotActivities>(MARKETING_SLOT_OPTIONS);
const marketingSlotsRemote = proxyActivities<MarketingSlotActivities>(MARKETING_SLOT_OPTIONS);

/** The stub to reserve with now: local activities only while replaying a history from before the patch. */
export function marketingSlots(): typeof marketingSlotsRemote {
  return sincePatch(MARKETING_SLOTS_AS_ACTIVITIES_PATCH) ? marketingSlotsRemote : marketingSlotsLocal;
}

/**
 * Support cases are idempotent per cause: retry while PostgreSQL is down, for up to a week (then the timeline says so).
 */
export const support = proxyActivities<Pick<JourneyActivities, 'openSupportCase'>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Carrier polling: a carrier that is down or rate-limits us is retried with backoff (1 min → 1 h) for up to 12 hours,
 * in the activity's retry policy rather than as a loop in the workflow's history. Past that the poll counts as silent.
 */
export const carrierPolling = proxyActivities<Pick<JourneyActivities, 'pollCarrier'>>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '12 hours',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/**
 * Asking the tracking provider to follow a new parcel: retried with backoff (1 min → 1 h) for up to 6 hours while the
 * provider is down; a final refusal is not retried. Either way polling stays the fallback, so the journey goes on.
 */
export const trackerRegistration = proxyActivities<Pick<JourneyActivities, 'registerTracker'>>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '6 hours',
  retry: {
    initialInterval: '1 minute',
    backoffCoefficient: 2,
    maximumInterval: '1 hour',
    nonRetryableErrorTypes: ['CarrierRefused'],
  },
});

/**
 * Telling the customer's lifecycle workflow about an order (signal-with-start): retried while Temporal or the worker is
 * away, for up to an hour; past that the order's journey records it and goes on (an order less in the customer's
 * lifecycle, never a failed journey).
 */
export const customerNotices = proxyActivities<Pick<JourneyActivities, 'tellCustomerAboutOrder'>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Buying a return label: idempotent per RMA (src/activities/return-labels.ts), so retried while the label provider is
 * down or slow, for up to two hours — the "return accepted" message waits for it meanwhile. Past that, or on a final
 * refusal (an answer, not an error), the customer gets the plain instructions and support is told.
 */
export const returnLabels = proxyActivities<Pick<JourneyActivities, 'buyReturnLabel'>>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
