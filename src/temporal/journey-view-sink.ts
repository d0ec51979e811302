/**
 * The worker's half of view publishing (src/workflows/view-publishing.ts): each published view is written to
 * PostgreSQL before the activation completes, so a caller who got an update's answer reads a view that has it.
 *
 * A write waits at most WRITE_WAIT_MS: with PostgreSQL slow or away the journey goes on, and the view is kept and
 * written again in the background (a newer view of the same journey replaces the one waiting) until it lands or the
 * worker process ends (then the journey's next activation publishes it again). Views never fail or hold up a journey.
 */
import { Runtime, type InjectedSinks } from '@temporalio/worker';
import type { ViewToStore } from '../db/journey-views';
import type { JourneyViewSinks } from '../workflows/view-publishing';

/** How long an activation waits for its view to be written before it completes without (the write goes on). */
const WRITE_WAIT_MS = 1_000;
/** Pauses between attempts to write a view that failed: 0.5 s doubling to 30 s. */
const retryDelayMs = (attempt: number) => Math.min(30_000, 500 * 2 ** attempt);

export interface ViewStore {
  save(view: ViewToStore): Promise<void>;
}

/** One journey's views are written one after another, newest waiting; journeys are written side by side. */
export class ViewWriter {
  private readonly waiting = new Map<string, ViewToStore>();
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ViewStore,
    /** Told of each write that failed (the worker's log by default). */
    private readonly onWriteFailed = (journeyId: string, attempt: number, err: unknown): void => {
      Runtime.instance().logger.warn('journey view not written; trying again', {
        journeyId,
        attempt,
        error: err instanceof Error ? err.message : String(err),
      });
    },
  ) {}

  /** Resolves once this view (or a newer one) is written, or after `waitMs`, whichever comes first; never rejects. */
  async publish(view: ViewToStore, waitMs = WRITE_WAIT_MS): Promise<void> {
    this.waiting.set(view.journeyId, view);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.drain(view.journeyId),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
  }

  private drain(journeyId: string): Promise<void> {
    let run = this.writing.get(journeyId);
    if (!run) {
      run = this.writeWaiting(journeyId).finally(() => this.writing.delete(journeyId));
      this.writing.set(journeyId, run);
    }
    return run;
  }

  private async writeWaiting(journeyId: string): Promise<void> {
    for (let attempt = 0; ;) {
      const view = this.waiting.get(journeyId);
      if (!view) return;
      this.waiting.delete(journeyId);
      try {
        await this.store.save(view);
        attempt = 0;
      } catch (err) {
        if (!this.waiting.has(journeyId)) this.waiting.set(journeyId, view); // unless a newer one came meanwhile
        this.onWriteFailed(journeyId, attempt, err);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt++)).unref());
      }
    }
  }
}

/** The sinks the journey workflows publish their views to (every journey worker registers them). */
export function journeyViewSinks(writer: ViewWriter): InjectedSinks<JourneyViewSinks> {
  return {
    journeyViews: {
      publish: {
        fn: (info, viewJson, version) =>
          writer.publish({ journeyId: info.workflowId, runId: info.runId, version, viewJson }),
        callDuringReplay: false,
      },
    },
  };
}
