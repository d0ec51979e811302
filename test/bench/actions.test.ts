/**
 * The bench's Temporal Cloud action counter (bench/actions.ts) on recorded journey histories: each kind of action is
 * checked against the events counted independently from the history's JSON, by Temporal's published rules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { countHistory } from '../../bench/actions';

const HISTORIES = path.join(__dirname, '..', 'replay', 'histories');

interface JsonEvent {
  eventType: string;
  activityTaskStartedEventAttributes?: { attempt?: number };
  markerRecordedEventAttributes?: { workflowTaskCompletedEventId?: string };
  workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string; parentWorkflowExecution?: unknown };
  upsertWorkflowSearchAttributesEventAttributes?: { searchAttributes?: { indexedFields?: Record<string, unknown> } };
}

function load(file: string) {
  const json = JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')) as { events: JsonEvent[] };
  const count = (type: string) => json.events.filter((e) => e.eventType === `EVENT_TYPE_${type}`).length;
  // The SDK's own TemporalChangeVersion upserts (one per patch) are exempt from billing.
  const upserts = json.events.filter(
    (e) =>
      e.eventType === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES' &&
      Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).some(
        (k) => k !== 'TemporalChangeVersion',
      ),
  ).length;
  return { json, count, upserts, counted: countHistory(historyFromJSON(json)) };
}

describe('Temporal Cloud actions counted from a history', () => {
  it('bills a happy-path journey one action per start, activity, timer, signal, update and upsert, two per child start', () => {
    const { json, count, upserts, counted } = load('journey-v3-happy-path.json');
    expect(counted.events).toBe(json.events.length);
    expect(counted.byKind['workflow started']).toBe(1);
    expect(counted.byKind['activity scheduled']).toBe(count('ACTIVITY_TASK_SCHEDULED'));
    expect(counted.byKind['timer started']).toBe(count('TIMER_STARTED'));
    expect(counted.byKind['signal received']).toBe(count('WORKFLOW_EXECUTION_SIGNALED'));
    expect(counted.byKind['update accepted']).toBe(count('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'));
    expect(counted.byKind['search attributes upserted']).toBe(upserts);
    expect(upserts).toBeLessThan(count('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES')); // this history has patch upserts to leave out
    expect(counted.byKind['child workflow started (2 each)']).toBe(
      2 * count('START_CHILD_WORKFLOW_EXECUTION_INITIATED'),
    );
    // Markers: one action per workflow task that recorded any.
    const markerTasks = new Set(
      json.events
        .filter((e) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED')
        .map((e) => e.markerRecordedEventAttributes?.workflowTaskCompletedEventId),
    );
    const markerActions =
      (counted.byKind['workflow tasks with local activities'] ?? 0) +
      (counted.byKind['workflow tasks with version markers only'] ?? 0);
    expect(markerActions).toBe(markerTasks.size);
    expect(counted.actions).toBe(Object.values(counted.byKind).reduce((a, b) => a + b, 0));
    expect(counted.bytes).toBeGreaterThan(0);
  });

  it('bills a run that continued as new as a start of its own, and never bills completions or fired timers', () => {
    const { count, upserts, counted } = load('continue-as-new-v1-run-2.json');
    expect(counted.byKind['continued as new']).toBe(1);
    expect(counted.byKind['workflow started']).toBeUndefined();
    const billable = [
      'ACTIVITY_TASK_SCHEDULED',
      'TIMER_STARTED',
      'WORKFLOW_EXECUTION_SIGNALED',
      'WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
    ];
    expect(counted.byKind['activity retried']).toBeUndefined(); // this recording has first attempts only
    const markers =
      (counted.byKind['workflow tasks with local activities'] ?? 0) +
      (counted.byKind['workflow tasks with version markers only'] ?? 0);
    const children = counted.byKind['child workflow started (2 each)'] ?? 0;
    expect(counted.actions).toBe(1 + billable.reduce((a, t) => a + count(t), 0) + upserts + markers + children);
  });
});
