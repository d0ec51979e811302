/**
 * Every timer and activity in the Temporal UI's timeline says what it is for. The journey's own timers and activities
 * carry summaries where they are started; this interceptor covers the ones the SDK starts by itself — the backoff timer
 * between attempts of a local activity (a marketing-slot reservation, in runs from before the patch
 * `marketing-slots-as-activities`) — and any call that forgot one, which would otherwise show as a bare number and
 * duration ("37 (1s)").
 *
 * Summaries are user metadata: they never change a workflow's commands, so histories replay the same with or without
 * this module (the replay tests bundle it). Registered in the workers' `interceptors.workflowModules` and bundles.
 */
import {
  LocalActivityDoBackoff,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** "reserveMarketingSlot" → "reserve marketing slot". */
function words(activityType: string): string {
  return activityType.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function seconds(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  /** The local activity whose failed attempt the SDK is about to wait out (its backoff timer follows at once). */
  let backingOff: string | undefined;
  const outbound: WorkflowOutboundCallsInterceptor = {
    async scheduleLocalActivity(input, next) {
      try {
        return await next(input);
      } catch (err) {
        if (err instanceof LocalActivityDoBackoff) backingOff = input.activityType;
        throw err;
      }
    },
    startTimer(input, next) {
      if (input.options?.summary) return next(input);
      const summary = backingOff
        ? `wait ${seconds(input.durationMs)} before retrying ${words(backingOff)} (attempt failed)`
        : `wait ${seconds(input.durationMs)}`;
      backingOff = undefined;
      return next({ ...input, options: { ...input.options, summary } });
    },
    scheduleActivity(input, next) {
      if (input.options.summary) return next(input);
      return next({ ...input, options: { ...input.options, summary: words(input.activityType) } });
    },
  };
  return { outbound: [outbound] };
};
