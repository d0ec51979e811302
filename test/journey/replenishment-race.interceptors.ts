/**
 * Test-only workflow interceptor (bundled into the race test's workers, never into production's): an order journey
 * holds its first `reordered` signal back for a day. Between the journey learning that the customer's reminder chain is
 * running (startChild: already started) and its signal reaching that chain, the test ends the chain — the race of
 * issue 9 defect 3, made deterministic.
 */
import { sleep, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const REORDER_HELD_BACK_MS = 86_400_000;

export const interceptors: WorkflowInterceptorsFactory = () => {
  let heldBack = false;
  return {
    outbound: [
      {
        async signalWorkflow(input, next) {
          if (!heldBack && workflowInfo().workflowType === 'orderJourney' && input.signalName === 'reordered') {
            heldBack = true;
            await sleep(REORDER_HELD_BACK_MS, { summary: 'test: hold the reorder signal back a day' });
          }
          return next(input);
        },
      },
    ],
  };
};
