/**
 * Bare Temporal workflows the bench compares the service with: the same number of starts, activities, timers, signals,
 * updates and child starts as a journey, with no-op bodies, no encryption and no database.
 */
import {
  ParentClosePolicy,
  condition,
  defineSignal,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from './activities';

const { noop, notify } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });
const { noopLocal } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

export const benchEventSignal = defineSignal<[string]>('benchEvent');
export const benchOpUpdate = defineUpdate<string, [string]>('benchOp');

/** The bare start's workflow type (P1): no worker polls its queue, so it never runs. */
export async function benchTrivial(_payload: string): Promise<void> {}

/** A journey's shape, counted from a real journey's history (bench/history.ts). */
export interface JourneyShape {
  activities: number;
  /** Workflow tasks that ran local activities. */
  localActivityTasks: number;
  timers: number;
  /** The journey's wait from its last signal to its close, spread over the timers. */
  waitMs: number;
  signals: number;
  updates: number;
  children: number;
}

/** P2's baseline: updates first (like the shipment), then one activity per signal, then the timers and the rest. */
export async function baselineJourney(shape: JourneyShape): Promise<void> {
  let signals = 0;
  let updates = 0;
  setHandler(benchEventSignal, () => void (signals += 1));
  setHandler(benchOpUpdate, (x) => {
    updates += 1;
    return x;
  });
  let activitiesRun = 0;
  const activity = async () => {
    if (activitiesRun >= shape.activities) return;
    activitiesRun += 1;
    await noop();
  };
  await activity(); // the confirmation
  await condition(() => updates >= shape.updates);
  for (let handled = 0; handled < shape.signals; handled++) {
    await condition(() => signals > handled);
    await activity();
  }
  for (let i = 0; i < shape.children; i++)
    await startChild(benchChild, {
      workflowId: `${workflowInfo().workflowId}-child-${i}`,
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  for (let t = 0; t < shape.timers; t++) {
    await sleep(Math.max(1, Math.round(shape.waitMs / Math.max(1, shape.timers))));
    if (t < shape.localActivityTasks) await noopLocal();
    await activity();
  }
  while (activitiesRun < shape.activities) await activity();
}

export async function benchChild(): Promise<void> {}

/** P5's baseline: each signal → one activity that calls the stub, in order. */
export async function signalEcho(count: number, url: string): Promise<void> {
  const queue: string[] = [];
  setHandler(benchEventSignal, (id) => void queue.push(id));
  for (let i = 0; i < count; i++) {
    await condition(() => queue.length > 0);
    await notify(url, queue.shift()!);
  }
}

/** P4's baseline: one activity (a stub call, so the bench sees it ran), then asleep like a confirmed journey. */
export async function benchParked(url: string, id: string): Promise<void> {
  await notify(url, id);
  await sleep('30 days');
}
