/**
 * The journey's view, published by its worker for GET …/journey to read without asking the journey (no query: a query
 * answered by a freshly restarted worker can record a history that does not replay — issue 9, cause A,
 * docs/upstream/query-after-worker-kill.md).
 *
 * At the end of every activation whose view differs from the one last published, the view goes to a workflow sink;
 * the worker writes it to PostgreSQL before it completes the activation (src/temporal/journey-view-sink.ts). Sinks are
 * not commands, so histories replay the same with or without this module. While history is being replayed nothing is
 * published; the first live activation after a replay publishes the view afresh.
 */
import { proxySinks, workflowInfo, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { JourneyView } from './journey-state';

/** Where in the journey's life a view was taken: a later (run, historyLength) is a newer view. */
export interface ViewVersion {
  /** Runs before the one that took the view (continue-as-new). */
  run: number;
  historyLength: number;
}

export interface JourneyViewSinks extends Sinks {
  journeyViews: {
    /** The view as JSON: a snapshot taken now (the view object itself goes on changing). */
    publish(viewJson: string, version: ViewVersion): void;
  };
}

const { journeyViews } = proxySinks<JourneyViewSinks>();

/** This workflow's view (module state is per workflow in the SDK's sandbox), and what was last published of it. */
let source: { view: () => JourneyView; run: number } | undefined;
let lastPublished: string | undefined;

/** Called once by the journey: from now on its view is published whenever it changes. */
export function publishViewOf(view: () => JourneyView, run: number): void {
  source = { view, run };
}

function publishIfChanged(): void {
  if (!source || workflowInfo().unsafe.isReplaying) return;
  const json = JSON.stringify(source.view());
  if (json === lastPublished) return;
  lastPublished = json;
  journeyViews.publish(json, { run: source.run, historyLength: workflowInfo().historyLength });
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  internals: [
    {
      concludeActivation(input, next) {
        publishIfChanged();
        return next(input);
      },
    },
  ],
});
