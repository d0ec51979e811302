/**
 * Starting journeys on Temporal, reading them, and acting on them: what the API's order routes stand on.
 * One journey per order: the workflow id is `order-<orderId>`, and a repeated start is answered from the existing run.
 */
import { createHash } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { journeyWorkflowId, type Order } from '../domain/order';
import type { JourneyPolicy } from '../domain/policy';
import {
  addShipmentUpdate,
  cancelOrderUpdate,
  journeyQuery,
  requestReturnUpdate,
  reviewSubmittedSignal,
  trackingEventSignal,
  type CancelRequest,
  type NewShipment,
  type ReturnRequest,
  type ReviewSubmitted,
  type TrackingEvent,
} from '../workflows/definitions';
import type { JourneyView } from '../workflows/journey-state';
import type { orderJourney } from '../workflows/order-journey';
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
  }
}

export class JourneyNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`no journey for order ${orderId}`);
  }
}

/** The journey has completed (or was cancelled): it takes no more actions. */
export class JourneyEndedError extends Error {
  constructor(
    readonly orderId: string,
    readonly stage: string,
  ) {
    super(stage === 'cancelled' ? `order ${orderId} was cancelled` : `the journey of order ${orderId} has ended (${stage})`);
  }
}

/** The journey refused the request (its validator said why). */
export class JourneyRefusedError extends Error {}

/** The request names something the order does not have (a parcel, an item). */
export class NotInOrderError extends Error {}

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

  view(orderId: string): Promise<JourneyView> {
    return this.act(orderId, (h) => h.query(journeyQuery), { allowEnded: true });
  }

  addShipment(orderId: string, shipment: NewShipment) {
    return this.act(orderId, (h) => h.executeUpdate(addShipmentUpdate, { args: [shipment] }));
  }

  async reportTracking(orderId: string, event: TrackingEvent): Promise<void> {
    const view = await this.view(orderId);
    if (!view.shipments.some((s) => s.trackingNumber === event.trackingNumber)) {
      throw new NotInOrderError(`order ${orderId} has no parcel with tracking number ${event.trackingNumber}`);
    }
    await this.act(orderId, (h) => h.signal(trackingEventSignal, event));
  }

  async submitReview(orderId: string, review: ReviewSubmitted): Promise<void> {
    const view = await this.view(orderId);
    if (!view.items.some((i) => i.sku === review.sku)) throw new NotInOrderError(`item ${review.sku} is not part of order ${orderId}`);
    await this.act(orderId, (h) => h.signal(reviewSubmittedSignal, review));
  }

  requestReturn(orderId: string, request: ReturnRequest) {
    return this.act(orderId, (h) => h.executeUpdate(requestReturnUpdate, { args: [request] }));
  }

  cancel(orderId: string, request: CancelRequest) {
    return this.act(orderId, (h) => h.executeUpdate(cancelOrderUpdate, { args: [request] }));
  }

  /** Runs an action on the order's journey, turning Temporal's answers into the service's errors. */
  private async act<T>(orderId: string, action: (handle: WorkflowHandle) => Promise<T>, { allowEnded = false } = {}): Promise<T> {
    const handle = this.client.workflow.getHandle(journeyWorkflowId(orderId));
    try {
      return await action(handle);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new JourneyRefusedError(err.cause?.message ?? err.message);
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // "Not found" also means "already closed" for signals and updates: tell the two apart.
      const description = await handle.describe().catch((e) => {
        if (e instanceof WorkflowNotFoundError) throw new JourneyNotFoundError(orderId);
        throw e;
      });
      if (allowEnded) throw err;
      throw new JourneyEndedError(orderId, String(description.typedSearchAttributes.get(JourneyStageKey) ?? description.status.name));
    }
  }
}
