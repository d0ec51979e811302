/**
 * The whole workflow of the reproduction: a timer loop whose every wake-up schedules an activity, and a signal handler
 * that upserts a search attribute. Nothing else; no local activities, no Promise.all, no patches.
 */
import { defineQuery, defineSignal, proxyActivities, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ReproStage = defineSearchAttributeKey('ReproStage', SearchAttributeType.KEYWORD);
export const bump = defineSignal('bump');
export const signalsSeen = defineQuery<number>('signalsSeen');

const { tick } = proxyActivities<{ tick(i: number): Promise<void> }>({ startToCloseTimeout: '10s' });

export async function timerLoop(iterations: number, timerMs: number): Promise<number> {
  let signals = 0;
  setHandler(bump, () => {
    signals += 1;
    upsertSearchAttributes([{ key: ReproStage, value: `signal-${signals}` }]);
  });
  setHandler(signalsSeen, () => signals);
  for (let i = 0; i < iterations; i++) {
    await sleep(timerMs);
    await tick(i);
  }
  return signals;
}
