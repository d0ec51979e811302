/**
 * Starting and reading journeys on Temporal: what the API's order routes stand on.
 * One journey per order: the workflow id is `order-<orderId>`, and a repeated start is answered from the existing run.
 */
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { journeyWorkflowId, type Order } from '../domain/order';
import type { JourneyPolicy } from '../domain/policy';
import { journeyQuery } from '../workflows/definitions';
import type { orderJourney } from '../workflows/order-journey';
import type { JourneyView } from '../workflows/journey-state';
import { CustomerIdKey, JourneyStageKey, OrderIdKey } from '../workflows/search-attributes';

export interface StartedJourney {
  workflowId: string;
  runId: string;
  /** False when the same order had already started this journey. */
  created: boolean;
}

export class OrderConflictError extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} was already submitted with different content`);
    this.name = 'OrderConflictError';
  }
}

export class JourneyNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`no journey for order ${orderId}`);
    this.name = 'JourneyNotFoundError';
  }
}

/** A stable digest of the order's content, key order ignored: the same order sent twice has the same fingerprint. */
export function orderFingerprint(order: Order): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
        : value;
  return createHash('sha256').update(JSON.stringify(canonical(order))).digest('hex');
}

export class JourneyService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly policy: JourneyPolicy,
  ) {}

  async start(order: Order): Promise<StartedJourney> {
    const workflowId = journeyWorkflowId(order.orderId);
    const fingerprint = orderFingerprint(order);
    try {
      const handle = await this.client.workflow.start<typeof orderJourney>('orderJourney', {
        workflowId,
        taskQueue: this.taskQueue,
        args: [{ order, policy: this.policy }],
        // Never a second journey for an order, not even after the first one has finished.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { orderFingerprint: fingerprint },
        typedSearchAttributes: [
          { key: OrderIdKey, value: order.orderId },
          { key: CustomerIdKey, value: order.customerId },
          { key: JourneyStageKey, value: 'confirming' },
        ],
        staticSummary: `Order ${order.orderId} · ${order.items.length} item${order.items.length === 1 ? '' : 's'} · ${order.total} ${order.currency}`,
        staticDetails: `Post-purchase journey for order ${order.orderId} (policy: ${this.policy.name}).`,
      });
      return { workflowId, runId: handle.firstExecutionRunId, created: true };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const description = await this.client.workflow.getHandle(workflowId).describe();
      if (description.memo?.orderFingerprint !== fingerprint) throw new OrderConflictError(order.orderId);
      return { workflowId, runId: description.runId, created: false };
    }
  }

  async view(orderId: string): Promise<JourneyView> {
    try {
      return await this.client.workflow.getHandle(journeyWorkflowId(orderId)).query(journeyQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new JourneyNotFoundError(orderId);
      throw err;
    }
  }
}
