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
