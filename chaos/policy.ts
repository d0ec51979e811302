/**
 * The journey policy the suite runs: the demo's second-long "days", with the business deadlines that a fault of a
 * minute would otherwise trip pushed out of its reach. A 60 s database outage is 60 demo days — past the return window,
 * the shipment deadline and the stall threshold — so a fault-free journey and a faulted one would differ by policy,
 * not by a fault the service failed to survive. The suite checks durability, so those deadlines must outlast the
 * faults.
 *
 * Retry windows are the exception on purpose: in the provider outage an "hour" of a message's retry window is short
 * enough that the outage outlasts the shortest windows (out-for-delivery: 4 h), so those messages must end recorded as
 * failed, exactly as src/domain/send-deadlines.ts says, while every longer-lived message still goes.
 */
import { sendDeadlineMs } from '../src/domain/send-deadlines';
import type { JourneyPolicyOverrides } from '../src/domain/policy';
import type { ScenarioName } from './scenarios';

const BUSINESS_DEADLINES: JourneyPolicyOverrides = {
  returnParcelWaitDays: 3_000,
  shipmentDeadlineDays: 3_000,
  stalledAfterDays: 3_000,
};

/** Seconds per retry-window hour: the demo's minute, except in the provider outage (see above). */
export function secondsPerRetryHour(scenario: ScenarioName): number {
  return scenario === 'provider-outage' ? 15 : 60;
}

/**
 * Seconds a worker kill keeps the journeys from answering (restart ~8 s, then the workflow tasks it held time out):
 * measured, ten kills in two minutes kept an early journey from answering for 2 min 47 s. The return window of the
 * worker-kill scenario is longer by this much per kill, or support's return, asked in time and answered 503 meanwhile,
 * is refused as too late once the journey answers — the 120-"day" window is a policy the fault outlasts, not a loss.
 */
const UNAVAILABLE_SECONDS_PER_KILL = 18;

/** JOURNEY_POLICY_OVERRIDES for a scenario's API (policies travel in each journey's input, so the API's counts). */
export function chaosPolicyOverrides(
  scenario: ScenarioName,
  returnWindowDays: number,
  kills: number,
): JourneyPolicyOverrides {
  const window = returnWindowDays + (scenario === 'worker-kill' ? kills * UNAVAILABLE_SECONDS_PER_KILL : 0);
  return { ...BUSINESS_DEADLINES, returnWindowDays: window, secondsPerRetryHour: secondsPerRetryHour(scenario) };
}

/** How long a message type is retried in a scenario, in seconds. */
export function retryWindowSeconds(scenario: ScenarioName, messageType: string): number {
  return sendDeadlineMs(messageType, { secondsPerRetryHour: secondsPerRetryHour(scenario) }) / 1000;
}
