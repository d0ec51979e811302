/**
 * Escalating to support: a case in PostgreSQL (once per cause), shown in the journey. PostgreSQL down for longer than
 * the support activity's window leaves a line in the timeline instead; the journey goes on either way.
 */
import { workflowInfo } from '@temporalio/workflow';
import { support } from '../activity-stubs';
import { isoNow as now } from '../clock';
import type { Journey } from '../journey';

export async function escalate(journey: Journey, caseKey: string, kind: string, summary: string): Promise<void> {
  if (journey.view.supportCases.some((c) => c.caseKey === caseKey)) return;
  try {
    const { caseId } = await support.openSupportCase.executeWithOptions(
      { summary: `open support case: ${kind.replace(/_/g, ' ')}` },
      [{ journeyId: workflowInfo().workflowId, orderId: journey.order.orderId, caseKey, kind, summary }],
    );
    journey.addSupportCase({ caseId, caseKey, kind, summary, at: now() });
    journey.record(`support case opened: ${summary}`);
  } catch {
    journey.record(`support case could not be opened (${kind.replace(/_/g, ' ')}): ${summary}`);
  }
}
