/** A message's outcome as a workflow keeps it in its state (an order's journey, a customer's lifecycle). */
import type { MessageOutcome } from '../activities';
import { isoNow as now } from './clock';

export function messageRecord(outcome: MessageOutcome) {
  return {
    step: outcome.step,
    channel: outcome.channel,
    messageType: outcome.messageType,
    status: outcome.status,
    at: now(),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}
