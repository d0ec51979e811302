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
