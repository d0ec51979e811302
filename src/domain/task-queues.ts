/**
 * Task queue names, shared by the workflows (which schedule sends on them) and the worker (which polls them). Pure:
 * safe in the workflow sandbox.
 */
import type { Channel } from './order';

/** The task queue of a channel's sends: `<journey task queue>-email` / `-sms`, each with the provider's rate limit. */
export function channelTaskQueue(taskQueue: string, channel: Channel): string {
  return `${taskQueue}-${channel}`;
}
