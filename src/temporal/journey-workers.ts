/**
 * The journey's workers, as production and tests run them. Three workers share one connection: the journey queue
 * (workflows and every activity), and one queue per channel (`<taskQueue>-email`, `<taskQueue>-sms`) running only
 * customer sends, where the Temporal server enforces the provider's quota for the whole queue, however many workers poll.
 */
import { Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { JourneyActivities } from '../activities';
import { channelTaskQueue } from '../workflows/activity-stubs';

export interface JourneyWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: JourneyActivities;
  dataConverter: DataConverter;
  /** Either the workflows' source path (bundled at start) or a bundle made beforehand (tests bundle once per file). */
  workflows: { workflowsPath: string } | { workflowBundle: WorkflowBundleWithSourceMap };
  rateLimits?: { emailPerSecond?: number; smsPerSecond?: number };
}

export async function createJourneyWorkers(options: JourneyWorkersOptions): Promise<WorkerGroup> {
  const { connection, namespace, taskQueue, activities, dataConverter, workflows, rateLimits = {} } = options;
  const common = { connection, namespace, dataConverter, shutdownGraceTime: '10 seconds' } as const;
  const channelWorker = (channel: 'email' | 'sms', maxPerSecond: number | undefined) =>
    Worker.create({
      ...common,
      taskQueue: channelTaskQueue(taskQueue, channel),
      activities: { sendCustomerMessage: activities.sendCustomerMessage },
      ...(maxPerSecond !== undefined ? { maxTaskQueueActivitiesPerSecond: maxPerSecond } : {}),
    });
  return new WorkerGroup([
    await Worker.create({ ...common, taskQueue, ...workflows, activities }),
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
