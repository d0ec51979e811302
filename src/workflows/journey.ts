/**
 * The running journey's bookkeeping: it owns the JourneyView, and keeps the Temporal UI legible (JourneyStage search
 * attribute, current details) every time the journey moves on.
 */
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { MessageOutcome } from '../activities';
import type { JourneyInput } from './journey-input';
import type { JourneyStage, JourneyView, PlannedStep } from './journey-state';
import { JourneyStageKey } from './search-attributes';
import { expectedDeliveryWindow } from '../domain/delivery-window';
import { isoNow as now } from './clock';

export class Journey {
  readonly view: JourneyView;

  constructor(readonly input: JourneyInput) {
    const { order, policy } = input;
    this.view = {
      orderId: order.orderId,
      customerId: order.customerId,
      policy: policy.name,
      stage: 'confirming',
      expectedDelivery: expectedDeliveryWindow(order, policy),
      timeline: [{ at: workflowInfo().startTime.toISOString(), event: 'Order placed; journey started' }],
      messages: [],
      plan: [],
    };
  }

  /** Moves to a stage; the search attribute changes only when the stage does. */
  enterStage(stage: JourneyStage, plan: PlannedStep[]): void {
    if (this.view.stage !== stage) {
      this.view.stage = stage;
      upsertSearchAttributes([{ key: JourneyStageKey, value: stage }]);
    }
    this.view.plan = plan;
    this.showDetails();
  }

  record(event: string): void {
    this.view.timeline.push({ at: now(), event });
    this.showDetails();
  }

  recordMessage(outcome: MessageOutcome): void {
    this.view.messages.push({
      step: outcome.step,
      channel: outcome.channel,
      messageType: outcome.messageType,
      status: outcome.status,
      at: now(),
      ...(outcome.error ? { error: outcome.error } : {}),
    });
    const what = `${outcome.messageType.replace(/_/g, ' ')} ${outcome.channel}`;
    this.record(outcome.status === 'failed' ? `${what} failed: ${outcome.error?.code ?? 'unknown'}` : `${what} ${outcome.status}`);
  }

  /** The "current details" shown on the workflow's page in the Temporal UI: a short markdown timeline, no personal data. */
  private showDetails(): void {
    const { view } = this;
    const recent = view.timeline.slice(-8).map((t) => `- ${t.at.slice(0, 16).replace('T', ' ')} ${t.event}`);
    const next = view.plan[0];
    setCurrentDetails(
      [
        `**Stage:** ${view.stage.replace(/_/g, ' ')}`,
        next ? `**Next:** ${next.description}${next.dueAt ? ` (due ${next.dueAt.slice(0, 16).replace('T', ' ')} UTC)` : ''}` : '',
        '',
        ...recent,
      ].filter((line, i) => line !== '' || i === 2).join('\n'),
    );
  }
}
