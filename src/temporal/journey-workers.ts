/**
 * The journey's workers, as production and tests run them. Three workers share one connection: the journey queue
 * (workflows and every activity), and one queue per channel (`<taskQueue>-email`, `<taskQueue>-sms`) running only
 * customer sends, where the Temporal server enforces the provider's quota for the whole queue, however many workers
 * poll.
 */
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { JourneyActivities } from '../activities';
import { channelTaskQueue } from '../domain/task-queues';
import { journeyViewSinks, ViewWriter, type ViewStore } from './journey-view-sink';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOW_PRELOAD_MODULES, type JourneyWorkflows } from './workflow-bundle';

/**
 * How long a journey's workflow task may wait on the sticky queue of the worker that ran it last before the server
 * moves it to the normal queue (SDK default: 10 s). After a worker dies, its journeys resume after this long, not 10 s.
 * It also bounds a known SDK hazard (docs/upstream/query-after-worker-kill.md): a query sent while the worker is dead
 * waits this long on the dead sticky queue, and if a timer fires meanwhile, the restarted worker answers it from a
 * history with the TimerFired and keeps the timer's commands for the next task, which may then record them in an order
 * replay cannot reproduce. The window is as long as this timeout (measured: 5 of 5 runs of the reproduction hit it at
 * 10 s, 0 of 5 at 2 s with the same timings). A live worker polls its sticky queue all the time, so a task waits here
 * longer than this only when the worker is saturated; it then goes to the normal queue and costs a replay, never
 * correctness.
 */
export const STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT_MS = 2_000;

export interface JourneyWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: JourneyActivities;
  dataConverter: DataConverter;
  /** The workflows' source (bundled at start) or their bundle (src/temporal/workflow-bundle.ts). */
  workflows: JourneyWorkflows;
  rateLimits?: { emailPerSecond?: number; smsPerSecond?: number };
  /** Where the journeys' views go for GET …/journey (the journey_views table). */
  views: ViewStore;
  /** Journeys kept in memory between tasks (TemporalSettings.maxCachedWorkflows); the SDK's default when absent. */
  maxCachedWorkflows?: number;
}

export async function createJourneyWorkers(options: JourneyWorkersOptions): Promise<WorkerGroup> {
  const { connection, namespace, taskQueue, activities, dataConverter, workflows, rateLimits = {}, views } = options;
  const { maxCachedWorkflows } = options;
  const common = { connection, namespace, dataConverter, shutdownGraceTime: '10 seconds' } as const;
  const channelWorker = (channel: 'email' | 'sms', maxPerSecond: number | undefined) =>
    Worker.create({
      ...common,
      taskQueue: channelTaskQueue(taskQueue, channel),
      // eslint-disable-next-line @typescript-eslint/unbound-method -- activities are plain functions, never use `this`
      activities: { sendCustomerMessage: activities.sendCustomerMessage },
      ...(maxPerSecond !== undefined ? { maxTaskQueueActivitiesPerSecond: maxPerSecond } : {}),
    });
  return new WorkerGroup([
    await Worker.create({
      ...common,
      taskQueue,
      ...workflows,
      // A prebuilt bundle carries its interceptors (bundleWorkflowCode's workflowInterceptorModules).
      ...('workflowsPath' in workflows
        ? {
            interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
            bundlerOptions: { preloadModules: WORKFLOW_PRELOAD_MODULES },
          }
        : {}),
      activities,
      sinks: journeyViewSinks(new ViewWriter(views)),
      ...(maxCachedWorkflows !== undefined ? { maxCachedWorkflows } : {}),
      stickyQueueScheduleToStartTimeout: STICKY_QUEUE_SCHEDULE_TO_START_TIMEOUT_MS,
    }),
    await channelWorker('email', rateLimits.emailPerSecond),
    await channelWorker('sms', rateLimits.smsPerSecond),
  ]);
}

/** Workers that run and stop together: when one fails, the others are shut down and the failure is reported. */
export class WorkerGroup {
  constructor(readonly workers: Worker[]) {}

  async run(): Promise<void> {
    const runs = this.workers.map((w) =>
      w.run().catch((err: unknown) => {
        this.shutdown();
        throw err;
      }),
    );
    const results = await Promise.allSettled(runs);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Starts the shutdown of every worker still running; `run()` resolves once all have stopped. */
  shutdown(): void {
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
  }

  /** RUNNING while every worker runs; otherwise the first other state (e.g. STOPPING, FAILED). */
  getState(): ReturnType<Worker['getState']> {
    return this.workers.map((w) => w.getState()).find((s) => s !== 'RUNNING') ?? 'RUNNING';
  }

  /** Runs the workers until `work` settles, then stops them (as Worker.runUntil does for one worker). */
  async runUntil<R>(work: Promise<R> | (() => Promise<R>)): Promise<R> {
    const running = this.run();
    try {
      const stopped = running.then(() => {
        throw new Error('the workers stopped before the work was done');
      });
      stopped.catch(() => {}); // once the work is done, stopping is expected
      return await Promise.race([typeof work === 'function' ? work() : work, stopped]);
    } finally {
      this.shutdown();
      await running;
    }
  }
}
