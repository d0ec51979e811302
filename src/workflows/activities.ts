/**
 * Activity stubs for workflow code, with the retry and timeout policies of each kind of side effect.
 * Only the activities' types are imported: their code runs in the worker, never in the workflow sandbox.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { JourneyActivities } from '../activities';

/**
 * Customer messages: the ledger makes retries safe, so retry transient failures for up to a day (a provider outage),
 * backing off to five minutes between attempts. Final provider refusals come back as a "failed" outcome, not an error.
 */
export const messaging = proxyActivities<Pick<JourneyActivities, 'sendCustomerMessage'>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Support cases are idempotent per cause: retry until PostgreSQL answers. */
export const support = proxyActivities<Pick<JourneyActivities, 'openSupportCase'>>({
  startToCloseTimeout: '30 seconds',
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
