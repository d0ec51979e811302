/**
 * Temporal's errors, read for what they mean to a caller of the journey: the journey refused, it has ended, it failed,
 * it cannot answer now (and why), or it does not exist. Every branch here was observed on the dev server (SDK 1.24):
 *
 *   validator or handler throws               WorkflowUpdateFailedError, cause ApplicationFailure
 *   workflow closes while the update runs      WorkflowUpdateFailedError, cause type AcceptedUpdateCompletedWorkflow
 *   workflow already closed (any way)          WorkflowNotFoundError "workflow execution already completed"
 *   no worker answers an update in time        WorkflowUpdateRPCTimeoutOrCancelledError (our deadline)
 *   no worker answers a query in time          ServiceError, cause DEADLINE_EXCEEDED (also "query timed out before
 *                                              a worker could process it" from the server after 30 s)
 *   update while the workflow task is failing  ServiceError, cause FAILED_PRECONDITION "…Workflow Task in failed state"
 *   query failed by the worker (e.g. NDE)      QueryNotRegisteredError (the SDK maps every INVALID_ARGUMENT to it)
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import {
  QueryNotRegisteredError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { JourneyStageKey } from '../workflows/search-attributes';
import {
  JourneyEndedError,
  JourneyFailedError,
  JourneyNotFoundError,
  JourneyRefusedError,
  JourneyUnavailableError,
} from './journey-errors';

/** How long to suggest waiting before a retry. A failing task needs a person: ask callers to come back later. */
const RETRY_AFTER_SECONDS = { no_timely_answer: 5, temporal_unreachable: 5, workflow_task_failing: 60 } as const;

/** The gRPC status code of a Temporal error or of its causes, if it came from the service. */
export function grpcCode(err: unknown): number | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

/** Errors that mean "no answer in time" or "Temporal is not there", without asking the journey anything more. */
export function unreachable(orderId: string, err: unknown, what?: string): JourneyUnavailableError | undefined {
  const code = grpcCode(err);
  if (code === grpcStatus.UNAVAILABLE) {
    return new JourneyUnavailableError(
      orderId,
      'temporal_unreachable',
      'Temporal does not answer',
      RETRY_AFTER_SECONDS.temporal_unreachable,
      what,
    );
  }
  return undefined;
}

/** Translates the error of an action on the journey (query, signal, update) into the service's errors. */
export async function explainJourneyError(
  client: Client,
  orderId: string,
  handle: WorkflowHandle,
  err: unknown,
): Promise<unknown> {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (!(cause instanceof ApplicationFailure && cause.type === 'AcceptedUpdateCompletedWorkflow')) {
      return new JourneyRefusedError(cause?.message ?? err.message);
    }
    return closedOutcome(orderId, await handle.describe()); // closed while the update ran
  }
  if (err instanceof WorkflowNotFoundError) {
    // "Not found" also means "already closed" for signals and updates: tell the two apart.
    let description: WorkflowExecutionDescription;
    try {
      description = await handle.describe();
    } catch (e) {
      return e instanceof WorkflowNotFoundError ? new JourneyNotFoundError(orderId) : (unreachable(orderId, e) ?? e);
    }
    return description.status.name === 'RUNNING' ? err : closedOutcome(orderId, description);
  }
  const code = grpcCode(err);
  const noAnswer =
    err instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    err instanceof QueryNotRegisteredError ||
    code === grpcStatus.DEADLINE_EXCEEDED ||
    // The server cancels a query it had handed to a worker that went away (seen after a worker restart).
    code === grpcStatus.CANCELLED ||
    code === grpcStatus.FAILED_PRECONDITION;
  if (noAnswer) {
    const diagnosis = await whyNoAnswer(client, orderId, handle).catch(
      (e) => unreachable(orderId, e) ?? noTimelyAnswer(orderId),
    );
    if (err instanceof QueryNotRegisteredError && diagnosis.reason !== 'workflow_task_failing') {
      // The worker could not replay the journey to answer (its next task will fail the same way): stuck, not our 500.
      if (/TMPRL1100|nondetermin/i.test(err.message)) {
        const detail = `the worker cannot replay it — ${err.message.split('\n')[0]!.slice(0, 300)}`;
        return new JourneyUnavailableError(
          orderId,
          'workflow_task_failing',
          detail,
          RETRY_AFTER_SECONDS.workflow_task_failing,
        );
      }
      return err; // a query the worker failed on a healthy journey is a bug of ours, not an outage: keep it a 500
    }
    return diagnosis;
  }
  return unreachable(orderId, err) ?? err;
}

/** A closed journey: ended as planned (409 journey_ended) or stopped abnormally (500). */
function closedOutcome(orderId: string, description: WorkflowExecutionDescription): Error {
  const status = description.status.name;
  if (status === 'FAILED' || status === 'TERMINATED' || status === 'TIMED_OUT')
    return new JourneyFailedError(orderId, status);
  return new JourneyEndedError(
    orderId,
    String(description.typedSearchAttributes.get(JourneyStageKey) ?? status.toLowerCase()),
  );
}

/**
 * Why the journey did not answer: its workflow task failing over and over (the newest workflow-task outcome in the
 * history is a failure; its cause and message are the SDK's or our code's words, never payloads), or simply no worker
 * in time. Read from the history, not from describe()'s pending task alone: between retries the server may show none.
 * Asks only the server: no worker needed.
 */
export async function whyNoAnswer(
  client: Client,
  orderId: string,
  handle: WorkflowHandle,
): Promise<JourneyUnavailableError> {
  const description = await handle.describe();
  const failure = await failingWorkflowTask(client, handle.workflowId, description.runId);
  if (failure) {
    const attempt = description.raw.pendingWorkflowTask?.attempt;
    const detail = `its workflow task keeps failing${attempt ? ` (attempt ${attempt})` : ''} — ${failure}`;
    return new JourneyUnavailableError(
      orderId,
      'workflow_task_failing',
      detail,
      RETRY_AFTER_SECONDS.workflow_task_failing,
    );
  }
  return noTimelyAnswer(orderId);
}

export const noTimelyAnswer = (orderId: string) =>
  new JourneyUnavailableError(
    orderId,
    'no_timely_answer',
    'no worker answered in time (workers down, restarting or busy)',
    RETRY_AFTER_SECONDS.no_timely_answer,
  );

/**
 * The cause and first message line of the newest WorkflowTaskFailed event, when no workflow task completed after it
 * (later attempts of a failing task are not written to history: the first failure stands for all of them).
 */
async function failingWorkflowTask(client: Client, workflowId: string, runId: string): Promise<string | undefined> {
  const { WorkflowTaskFailedCause } = temporal.api.enums.v1;
  let nextPageToken: Uint8Array | undefined;
  for (let page = 0; page < 5; page++) {
    const response = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: client.options.namespace,
      execution: { workflowId, runId },
      maximumPageSize: 100,
      nextPageToken,
    });
    for (const event of response.history?.events ?? []) {
      if (event.workflowTaskCompletedEventAttributes) return undefined;
      const failed = event.workflowTaskFailedEventAttributes;
      if (!failed) continue;
      const cause = WorkflowTaskFailedCause[failed.cause ?? 0]?.replace('WORKFLOW_TASK_FAILED_CAUSE_', '') ?? 'UNKNOWN';
      const message = (failed.failure?.message ?? '').split('\n')[0]!.slice(0, 300);
      return `${cause}: ${message}`;
    }
    if (!response.nextPageToken?.length) return undefined;
    nextPageToken = response.nextPageToken;
  }
  return undefined;
}
