/**
 * Workflow time. Inside workflow code the SDK replaces `Date` with a deterministic clock that reads the time of the
 * current workflow task from history, so this is replay-safe; it is the one place workflow code reads the clock. The
 * arithmetic on what it reads lives in src/domain/durations.ts.
 */
import { sleep } from '@temporalio/workflow';
import { msUntil as msFromNowUntil } from '../domain/durations';

export function workflowNow(): Date {
  return new Date(Date.now());
}

export function isoNow(): string {
  return workflowNow().toISOString();
}

/** Milliseconds from now until an ISO instant (0 when it has passed). */
export function msUntil(iso: string): number {
  return msFromNowUntil(iso, workflowNow().getTime());
}

/** A durable sleep until an ISO instant; no timer at all when it has already passed. */
export async function sleepUntil(iso: string, summary: string): Promise<void> {
  const ms = msUntil(iso);
  if (ms > 0) await sleep(ms, { summary });
}
