import { sleep } from '@temporalio/workflow';

/**
 * Workflow time. Inside workflow code the SDK replaces `Date` with a deterministic clock that reads the time of the
 * current workflow task from history, so this is replay-safe; it is the one place workflow code reads the clock.
 */
export function workflowNow(): Date {
  return new Date(Date.now());
}

export function isoNow(): string {
  return workflowNow().toISOString();
}

/** A durable sleep until an ISO instant; no timer at all when it has already passed. */
export async function sleepUntil(iso: string, summary: string): Promise<void> {
  const ms = Date.parse(iso) - workflowNow().getTime();
  if (ms > 0) await sleep(ms, { summary });
}
