/**
 * What a caller hears when the journey cannot do what it asked, for the Temporal answers that are hard to produce on
 * demand on a real server (an update overtaken by the workflow's completion, a terminated run, Temporal gone). The
 * Temporal errors are the SDK's own classes with the shapes observed on the dev server; the server is faked by a
 * handle whose describe() says how the execution stands.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import {
  QueryNotRegisteredError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import request from 'supertest';
import express from 'express';
import { errorHandler } from '../../src/api/errors';
import { asHttpError } from '../../src/api/journey-errors';
import {
  JourneyEndedError,
  JourneyFailedError,
  JourneyNotFoundError,
  JourneyRefusedError,
  JourneyUnavailableError,
} from '../../src/journeys/journey-errors';
import { explainJourneyError } from '../../src/journeys/temporal-faults';

type Status = 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED' | 'TERMINATED' | 'TIMED_OUT';

/** A handle whose execution has this status (and journey stage), or is unknown to the server. */
function handleFor(
  execution: { status: Status; stage?: string; workflowTaskAttempt?: number } | 'unknown',
): WorkflowHandle {
  return {
    workflowId: 'order-1',
    describe: async () => {
      if (execution === 'unknown') throw new WorkflowNotFoundError('workflow not found', 'order-1', undefined);
      return {
        runId: 'run-1',
        status: { name: execution.status },
        typedSearchAttributes: { get: () => execution.stage },
        raw: { pendingWorkflowTask: execution.workflowTaskAttempt ? { attempt: execution.workflowTaskAttempt } : null },
      };
    },
  } as unknown as WorkflowHandle;
}

/** A client whose only use here is reading the end of a history: these events, newest first. */
const clientWithHistory = (events: object[]) =>
  ({
    options: { namespace: 'default' },
    workflowService: {
      getWorkflowExecutionHistoryReverse: async () => ({ history: { events }, nextPageToken: new Uint8Array() }),
    },
  }) as unknown as Client;
const client = clientWithHistory([{ workflowTaskCompletedEventAttributes: {} }]);
const updateFailed = (type: string, message: string) =>
  new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message }));
const closedMidUpdate = () =>
  updateFailed(
    'AcceptedUpdateCompletedWorkflow',
    'Workflow Update failed because the Workflow completed before the Update completed.',
  );
const alreadyClosed = () => new WorkflowNotFoundError('workflow execution already completed', 'order-1', undefined);
const grpcError = (code: number) => Object.assign(new Error(`${code} grpc`), { code, details: 'grpc', metadata: {} });
/** What the client throws when no worker answered an update within its RPC deadline. */
const updateDeadlineExceeded = () =>
  new WorkflowUpdateRPCTimeoutOrCancelledError('Deadline exceeded', { cause: grpcError(grpcStatus.DEADLINE_EXCEEDED) });

describe('a Temporal answer, as the journey service reads it', () => {
  it('calls a refusal by the journey\'s validator or handler "refused", with the journey\'s reason', async () => {
    const err = await explainJourneyError(
      client,
      '1',
      handleFor({ status: 'RUNNING' }),
      updateFailed('', 'the order has not been delivered yet'),
    );
    expect(err).toBeInstanceOf(JourneyRefusedError);
    expect((err as Error).message).toBe('the order has not been delivered yet');
  });

  it('calls an update overtaken by the journey completing "ended", not "refused"', async () => {
    const err = await explainJourneyError(
      client,
      '1',
      handleFor({ status: 'COMPLETED', stage: 'completed' }),
      closedMidUpdate(),
    );
    expect(err).toBeInstanceOf(JourneyEndedError);
    expect(err).toMatchObject({ stage: 'completed' });
  });

  it('calls an update overtaken by the journey failing, or a terminated journey, "failed"', async () => {
    expect(await explainJourneyError(client, '1', handleFor({ status: 'FAILED' }), closedMidUpdate())).toBeInstanceOf(
      JourneyFailedError,
    );
    const terminated = await explainJourneyError(
      client,
      '1',
      handleFor({ status: 'TERMINATED', stage: 'in_transit' }),
      alreadyClosed(),
    );
    expect(terminated).toBeInstanceOf(JourneyFailedError);
    expect(terminated).toMatchObject({ status: 'TERMINATED' });
    expect(await explainJourneyError(client, '1', handleFor({ status: 'TIMED_OUT' }), alreadyClosed())).toBeInstanceOf(
      JourneyFailedError,
    );
  });

  it('calls a closed, cancelled order "ended" with its stage', async () => {
    const err = await explainJourneyError(
      client,
      '1',
      handleFor({ status: 'COMPLETED', stage: 'cancelled' }),
      alreadyClosed(),
    );
    expect(err).toMatchObject({ stage: 'cancelled', message: 'order 1 was cancelled' });
    expect(err).toBeInstanceOf(JourneyEndedError);
  });

  it('calls an order Temporal has never seen "not found"', async () => {
    expect(await explainJourneyError(client, '1', handleFor('unknown'), alreadyClosed())).toBeInstanceOf(
      JourneyNotFoundError,
    );
  });

  it('calls an update without an answer in time "unavailable" (no worker answered), to be retried', async () => {
    const timeout = updateDeadlineExceeded();
    const err = await explainJourneyError(
      client,
      '1',
      handleFor({ status: 'RUNNING', workflowTaskAttempt: 1 }),
      timeout,
    );
    expect(err).toBeInstanceOf(JourneyUnavailableError);
    expect(err).toMatchObject({ reason: 'no_timely_answer', retryAfterSeconds: expect.any(Number) });
  });

  it('calls a journey whose newest workflow task failed "unavailable" (workflow_task_failing), with the cause and message', async () => {
    const failing = clientWithHistory([
      { workflowTaskScheduledEventAttributes: {} },
      {
        workflowTaskFailedEventAttributes: {
          cause: 24,
          failure: {
            message: '[TMPRL1100] Nondeterminism error: Timer machine does not handle this event\nmore lines',
          },
        },
      },
      { workflowTaskCompletedEventAttributes: {} },
    ]);
    const timeout = updateDeadlineExceeded();
    const err = await explainJourneyError(
      failing,
      '1',
      handleFor({ status: 'RUNNING', workflowTaskAttempt: 7 }),
      timeout,
    );
    expect(err).toMatchObject({ reason: 'workflow_task_failing', retryAfterSeconds: expect.any(Number) });
    expect((err as JourneyUnavailableError).detail).toBe(
      'its workflow task keeps failing (attempt 7) — NON_DETERMINISTIC_ERROR: [TMPRL1100] Nondeterminism error: Timer machine does not handle this event',
    );
  });

  it('calls a query the worker cannot answer for a nondeterminism error "unavailable" (workflow_task_failing), even before the history shows it', async () => {
    const ndeQuery = new QueryNotRegisteredError(
      '[TMPRL1100] Nondeterminism error: UpsertWorkflowSearchAttributesMachine does not handle this event',
      3,
    );
    const err = await explainJourneyError(client, '1', handleFor({ status: 'RUNNING' }), ndeQuery);
    expect(err).toMatchObject({ reason: 'workflow_task_failing' });
    expect((err as JourneyUnavailableError).detail).toContain('UpsertWorkflowSearchAttributesMachine');
    // Any other query failure on a healthy journey is our bug: it stays a 500.
    const bug = new QueryNotRegisteredError('TypeError: cannot read properties of undefined', 3);
    expect(await explainJourneyError(client, '1', handleFor({ status: 'RUNNING' }), bug)).toBe(bug);
  });

  it('calls Temporal not answering at all "unavailable" (temporal_unreachable)', async () => {
    const err = await explainJourneyError(
      client,
      '1',
      handleFor({ status: 'RUNNING' }),
      grpcError(grpcStatus.UNAVAILABLE),
    );
    expect(err).toMatchObject({ reason: 'temporal_unreachable' });
  });
});

describe('over HTTP', () => {
  const answer = (err: unknown) => {
    const app = express();
    app.use((req, _res, next) => {
      (req as { id?: string }).id = 'req-42';
      next();
    });
    app.get('/', () => {
      throw err;
    });
    app.use(errorHandler(() => {}, asHttpError));
    return request(app).get('/');
  };

  it('answers "refused" and "journey_ended" with 409, a failed journey with 500 and the request id', async () => {
    expect(
      (await answer(new JourneyRefusedError('already shipped; start a return')).expect(409)).body.error,
    ).toMatchObject({ code: 'refused', message: 'already shipped; start a return' });
    expect((await answer(new JourneyEndedError('1', 'completed')).expect(409)).body.error).toMatchObject({
      code: 'journey_ended',
      details: { stage: 'completed' },
    });
    expect((await answer(new JourneyFailedError('1', 'TERMINATED')).expect(500)).body.error).toMatchObject({
      code: 'journey_failed',
      details: { status: 'TERMINATED', requestId: 'req-42' },
    });
  });

  it('answers an unavailable journey with 503, Retry-After and the reason', async () => {
    const res = await answer(
      new JourneyUnavailableError('1', 'workflow_task_failing', 'its workflow task has failed 3 time(s)', 60),
    ).expect(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.body.error).toMatchObject({
      code: 'journey_unavailable',
      details: { reason: 'workflow_task_failing', detail: 'its workflow task has failed 3 time(s)' },
    });
  });

  it('answers PostgreSQL being away with 503 database_unavailable and Retry-After, whatever the driver said', async () => {
    for (const err of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      new Error('timeout exceeded when trying to connect'),
      new AggregateError([
        Object.assign(new Error('a'), { code: 'ECONNREFUSED' }),
        Object.assign(new Error('b'), { code: 'ECONNREFUSED' }),
      ]),
    ]) {
      const res = await answer(err).expect(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body.error.code).toBe('database_unavailable');
    }
  });

  it('keeps an unknown failure a 500 with the request id, and says nothing of its internals', async () => {
    const res = await answer(new Error('secret internals')).expect(500);
    expect(res.body.error).toEqual({
      code: 'internal',
      message: 'internal error; it has been logged',
      details: { requestId: 'req-42' },
    });
  });
});
