/**
 * One search-attribute upsert per activation. A journey often moves its stage and its parcels' status in the same
 * workflow task (a first parcel: stage "in transit" and status "registered"; the last delivery: both "delivered"), and
 * each upsertSearchAttributes is a command of its own: a history event, a visibility write and a billed action apiece.
 * In a run that opted in, this interceptor merges the activation's upserts into the first of them, later values
 * winning, so the workflow's search attributes end the task exactly as the separate upserts would have left them.
 *
 * Merging changes the commands a history records, so a run opts in once, at its start, when it recorded patch floor 2
 * (src/workflows/patches.ts): a history from before keeps its separate upserts on replay. Registered in the workers'
 * `interceptors.workflowModules` and bundles (src/temporal/workflow-bundle.ts).
 */
import type { ConcludeActivationInput, WorkflowInterceptorsFactory } from '@temporalio/workflow';

// Module state is per workflow execution (the SDK gives each workflow its own module instances).
let merging = false;
let installed = false;

/**
 * From now on this run's upserts are merged per activation; called once, at the run's start. A worker or replayer
 * whose bundle lacks this interceptor would record (or expect) separate upserts for the run's whole life, so the
 * workflow task fails here, with this message, until the bundle has it (the task is retried; nothing is lost).
 */
export function mergeUpsertsPerActivation(): void {
  if (!installed)
    throw new Error(
      'the workflow bundle lacks src/workflows/search-attribute-upserts (WORKFLOW_INTERCEPTOR_MODULES): bundle the ' +
        'workflows with it, as src/temporal/workflow-bundle.ts does',
    );
  merging = true;
}

type Commands = ConcludeActivationInput['commands'];

/** The activation's commands with every upsert after the first folded into the first (which keeps its place). */
export function mergeUpserts(commands: Commands): Commands {
  const first = commands.findIndex((c) => c.upsertWorkflowSearchAttributes);
  if (first < 0) return commands;
  const fields = {};
  for (const c of commands) Object.assign(fields, c.upsertWorkflowSearchAttributes?.searchAttributes?.indexedFields);
  const merged = {
    ...commands[first],
    upsertWorkflowSearchAttributes: { searchAttributes: { indexedFields: fields } },
  };
  return commands.flatMap((c, i) => (i === first ? [merged] : c.upsertWorkflowSearchAttributes ? [] : [c]));
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  installed = true;
  return {
    internals: [
      {
        concludeActivation(input, next) {
          return next(merging ? { ...input, commands: mergeUpserts(input.commands) } : input);
        },
      },
    ],
  };
};
