/** Test-only workflow (bundled by timeline-summaries.test.ts alone): a local activity whose first attempt fails. */
import { proxyLocalActivities } from '@temporalio/workflow';

const { flakyReservation } = proxyLocalActivities<{ flakyReservation(): Promise<string> }>({
  startToCloseTimeout: '10 seconds',
  // Past the SDK's local retry threshold (1 minute): the SDK waits out the backoff with a timer of its own.
  retry: { initialInterval: '2 minutes', maximumAttempts: 3 },
  summary: 'reserve a slot (test)',
});

export async function retriesALocalActivity(): Promise<string> {
  return flakyReservation();
}
