/**
 * Events and Temporal Cloud actions of a workflow history, counted by the rules Temporal publishes for Cloud billing
 * ("Temporal Cloud Actions", docs.temporal.io/cloud/actions): one action per workflow start (client start or
 * continue-as-new; a child's first run is billed to its parent), two per child-workflow start initiated, one per
 * activity scheduled plus one per retry, one per workflow task that recorded markers (local activities, version
 * markers), one per timer started, one per signal received (a signal sent to another workflow is billed where it
 * arrives), one per update accepted, one per search-attribute upsert (the SDK's TemporalChangeVersion upserts are
 * exempt). Queries, rejected updates and heartbeats leave no event: the bench adds what its scripts sent (its scripts
 * query nothing; the journey's activities do not heartbeat).
 */
import type { temporal } from '@temporalio/proto';
import { temporal as proto } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const T = proto.api.enums.v1.EventType;

export interface HistoryCount {
  events: number;
  /** The history's size as Temporal stores it (encoded protobuf), bytes. */
  bytes: number;
  actions: number;
  /** Actions by kind, so each can be defended line by line. */
  byKind: Record<string, number>;
}

export function countHistory(history: History): HistoryCount {
  const events = history.events ?? [];
  const byKind: Record<string, number> = {};
  const add = (kind: string, n = 1) => {
    if (n > 0) byKind[kind] = (byKind[kind] ?? 0) + n;
  };
  const markerTasks = new Map<string, Set<string>>();
  for (const e of events) {
    switch (e.eventType) {
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        // A child's first run is billed to its parent (two actions at StartChildWorkflowExecutionInitiated); a run
        // that continued as new is a start of its own, child or not.
        const started = e.workflowExecutionStartedEventAttributes;
        if (started?.continuedExecutionRunId) add('continued as new');
        else if (!started?.parentWorkflowExecution) add('workflow started');
        break;
      }
      case T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        add('child workflow started (2 each)', 2);
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        add('activity scheduled');
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        add('activity retried', Number(e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
        break;
      case T.EVENT_TYPE_MARKER_RECORDED: {
        const task = String(e.markerRecordedEventAttributes?.workflowTaskCompletedEventId ?? e.eventId);
        const names = markerTasks.get(task) ?? new Set<string>();
        names.add(e.markerRecordedEventAttributes?.markerName ?? 'marker');
        markerTasks.set(task, names);
        break;
      }
      case T.EVENT_TYPE_TIMER_STARTED:
        add('timer started');
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        add('signal received');
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        add('update accepted');
        break;
      case T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const keys = Object.keys(
          e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
        );
        if (keys.some((k) => k !== 'TemporalChangeVersion')) add('search attributes upserted');
        break;
      }
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED:
        add('workflow options updated');
        break;
      default:
        break;
    }
  }
  // All markers of one workflow task are one action; version markers alone are counted apart so they can be told apart.
  for (const names of markerTasks.values()) {
    if ([...names].some((n) => n !== 'core_patch')) add('workflow tasks with local activities');
    else add('workflow tasks with version markers only');
  }
  const actions = Object.values(byKind).reduce((a, b) => a + b, 0);
  return {
    events: events.length,
    bytes: proto.api.history.v1.History.encode(history).finish().length,
    actions,
    byKind,
  };
}

/** Counts of the events the baseline mirrors (JourneyShape in bench/baseline/workflows.ts), and the final wait. */
export function shapeOf(history: History) {
  const events = history.events ?? [];
  const count = (type: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;
  const markerTasks = new Set(
    events
      .filter(
        (e) =>
          e.eventType === T.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName !== 'core_patch',
      )
      .map((e) => String(e.markerRecordedEventAttributes?.workflowTaskCompletedEventId)),
  );
  const time = (e: HistoryEvent | undefined) =>
    e?.eventTime ? Number(e.eventTime.seconds) * 1000 + Math.round((e.eventTime.nanos ?? 0) / 1e6) : 0;
  const lastSignal = [...events].reverse().find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  return {
    activities: count(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    localActivityTasks: markerTasks.size,
    timers: count(T.EVENT_TYPE_TIMER_STARTED),
    waitMs: Math.max(0, time(events.at(-1)) - time(lastSignal)),
    signals: count(T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
    updates: count(T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
    children: count(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED),
  };
}

/**
 * Temporal Cloud's published pay-as-you-go action price: $50 per million for the first 5M actions a month, tiered down
 * to $25 per million between 100M and 200M (docs.temporal.io/cloud/pricing, read 2026-12-02 from the docs corpus; the
 * page itself carries no date). Check the page before quoting a figure to anyone.
 */
export const CLOUD_PRICE = {
  usdPerMillionActions: 50,
  tiers: [
    { upToMillions: 5, usdPerMillion: 50 },
    { upToMillions: 10, usdPerMillion: 45 },
    { upToMillions: 20, usdPerMillion: 40 },
    { upToMillions: 50, usdPerMillion: 35 },
    { upToMillions: 100, usdPerMillion: 30 },
    { upToMillions: 200, usdPerMillion: 25 },
  ],
  activeStorageUsdPerGbHour: 0.042,
  retainedStorageUsdPerGbHour: 0.00105,
  source:
    'https://docs.temporal.io/cloud/pricing (Pay-As-You-Go action and storage prices), https://docs.temporal.io/cloud/actions (what counts)',
  readOn: '2026-12-02',
} as const;
