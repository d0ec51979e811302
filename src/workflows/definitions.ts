/**
 * The journey workflow's signals, queries and updates: defined once here, used by the workflow and by the HTTP API.
 */
import { defineQuery } from '@temporalio/workflow';
import type { JourneyView } from './journey-state';

/** The journey as it stands: stage, timeline, messages sent, and the plan ahead. */
export const journeyQuery = defineQuery<JourneyView>('journey');
