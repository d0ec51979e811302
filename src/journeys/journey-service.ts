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
import type { LedgerEntry, MessageLedger } from '../db/ledger';
import type { ParcelDirectory } from '../db/parcels';
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

/** What the service reads and keeps beside Temporal. */
export interface JourneyRecords {
  /** Delivery outcomes reported by providers after the send (merged into the journey's messages). */
  ledger: MessageLedger;
  /** Which order a tracking number belongs to (for carrier webhooks). */
  parcels: ParcelDirectory;
}

export class JourneyService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly policy: JourneyPolicy,
    private readonly records: JourneyRecords,
  ) {}

  /** `requestId`: the API request that started it (X-Request-Id), kept in the workflow's memo to follow a journey back to its request. */
  async start(order: Order, { requestId }: { requestId?: string } = {}): Promise<StartedJourney> {
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
        memo: { orderFingerprint: fingerprint, ...(requestId ? { requestId } : {}) },
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

  /**
   * The journey with each message's delivery outcome. The journey's own query knows what the send activity returned
   * (sent, failed at send, skipped); what the provider reported later (delivered, bounced, undelivered) lives in the
   * message ledger, filled by the delivery webhooks, and is merged in here.
   */
  async view(orderId: string): Promise<JourneyView> {
    const [view, ledger] = await Promise.all([this.journeyState(orderId), this.records.ledger.forOrder(orderId)]);
    return withDeliveryOutcomes(view, journeyWorkflowId(orderId), ledger);
  }

  /** The journey query's answer as is. */
  private journeyState(orderId: string): Promise<JourneyView> {
    return this.act(orderId, (h) => h.query(journeyQuery), { allowEnded: true });
  }

  async addShipment(orderId: string, shipment: NewShipment) {
    const added = await this.act(orderId, (h) => h.executeUpdate(addShipmentUpdate, { args: [shipment] }));
    // After the journey accepted it (a refused parcel is no parcel of this order); a repeat finds the row already there.
    await this.records.parcels.register({ trackingNumber: shipment.trackingNumber, carrier: shipment.carrier, orderId });
    return added;
  }

  /** The order whose parcel has this tracking number, for carrier webhooks; undefined when no order registered it. */
  orderForParcel(trackingNumber: string, carrier?: string): Promise<string | undefined> {
    return this.records.parcels.orderFor(trackingNumber, carrier);
  }

  /**
   * A carrier webhook's update for a parcel found in the parcel directory: signalled without asking the journey first
   * (a signal needs no worker, so webhooks are answered fast even while workers restart).
   */
  async signalTracking(orderId: string, event: TrackingEvent): Promise<void> {
    await this.act(orderId, (h) => h.signal(trackingEventSignal, event));
  }

  async reportTracking(orderId: string, event: TrackingEvent): Promise<void> {
    const view = await this.journeyState(orderId);
    if (!view.shipments.some((s) => s.trackingNumber === event.trackingNumber)) {
      throw new NotInOrderError(`order ${orderId} has no parcel with tracking number ${event.trackingNumber}`);
    }
    await this.act(orderId, (h) => h.signal(trackingEventSignal, event));
  }

  async submitReview(orderId: string, review: ReviewSubmitted): Promise<void> {
    const view = await this.journeyState(orderId);
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

/**
 * Each journey message with the ledger's newer word on it: delivered, or failed with the provider's code and reason
 * (e.g. a bounce, Twilio 30006). Matched by step and channel within this journey; other ledger states change nothing.
 */
function withDeliveryOutcomes(view: JourneyView, journeyId: string, ledger: LedgerEntry[]): JourneyView {
  const byStep = new Map(ledger.filter((e) => e.journeyId === journeyId).map((e) => [`${e.step}/${e.channel}`, e]));
  return {
    ...view,
    messages: view.messages.map((message) => {
      const entry = byStep.get(`${message.step}/${message.channel}`);
      if (!entry || entry.status === message.status || (entry.status !== 'delivered' && entry.status !== 'failed')) return message;
      const { error: _sendError, ...rest } = message;
      return {
        ...rest,
        status: entry.status,
        ...(entry.status === 'failed' ? { error: { code: entry.errorCode ?? 'unknown', message: entry.errorMessage ?? '' } } : {}),
      };
    }),
  };
}
