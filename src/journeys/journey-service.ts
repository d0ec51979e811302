/**
 * Starting journeys on Temporal, reading them, and acting on them: what the API's order routes stand on.
 * One journey per order: the workflow id is `order-<orderId>`, and a repeated start is answered from the existing run.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { JourneyViews } from '../db/journey-views';
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
import { NotInOrderError, OrderConflictError } from './journey-errors';
import { contentFingerprint } from './fingerprint';
import { journeyStartOptions } from './journey-start';
import { explainJourneyError, noTimelyAnswer, unreachable, whyNoAnswer } from './temporal-faults';

export {
  JourneyEndedError,
  JourneyFailedError,
  JourneyNotFoundError,
  JourneyRefusedError,
  JourneyUnavailableError,
  NotInOrderError,
  OrderConflictError,
} from './journey-errors';

export interface StartedJourney {
  workflowId: string;
  runId: string;
  /** False when the same order had already started this journey. */
  created: boolean;
}

/**
 * How long the API waits for the journey. Both stay under the typed client's 10 s default, so a caller hears a 503
 * (retry later) rather than its own timeout. The deadline covers every RPC of the action (an update's start and poll).
 */
export interface JourneyTimeouts {
  /**
   * GET …/journey: how long to wait for news the journey has not taken in yet (a workflow task pending) before
   * answering with the view as its worker last published it. Default 5 s.
   */
  queryMs: number;
  /** Updates (shipments, returns, cancellation) and signals. Default 8 s. */
  actionMs: number;
}

const DEFAULT_TIMEOUTS: JourneyTimeouts = { queryMs: 5_000, actionMs: 8_000 };

/** Options of support's actions. */
export interface ActionOptions {
  /**
   * The caller's Idempotency-Key, used as the Temporal update id (`return:<key>`, `cancel:<key>`): Temporal answers a
   * repeated id from the first update of the run instead of running it again.
   */
  idempotencyKey?: string;
}

/** A stable digest of the order's content, key order ignored: the same order sent twice has the same fingerprint. */
export function orderFingerprint(order: Order): string {
  return contentFingerprint(order);
}

/** What the service reads and keeps beside Temporal. */
export interface JourneyRecords {
  /** Delivery outcomes reported by providers after the send (merged into the journey's messages). */
  ledger: MessageLedger;
  /** Which order a tracking number belongs to (for carrier webhooks). */
  parcels: ParcelDirectory;
  /** Each journey's view as its worker last published it (GET …/journey). */
  views: JourneyViews;
}

/** How often GET …/journey looks again whether the journey has taken in its news. */
const VIEW_SETTLE_POLL_MS = 100;

export class JourneyService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly policy: JourneyPolicy,
    private readonly records: JourneyRecords,
    timeouts: Partial<JourneyTimeouts> = {},
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
  }

  private readonly timeouts: JourneyTimeouts;

  /**
   * `requestId`: the API request that started it (X-Request-Id), kept in the workflow's memo to follow a journey back
   * to its request.
   */
  async start(order: Order, { requestId }: { requestId?: string } = {}): Promise<StartedJourney> {
    const workflowId = journeyWorkflowId(order.orderId);
    const options = journeyStartOptions(order, { taskQueue: this.taskQueue, policy: this.policy, requestId });
    const fingerprint = options.memo!.orderFingerprint;
    try {
      const handle = await this.client.workflow.start<typeof orderJourney>('orderJourney', options);
      return { workflowId, runId: handle.firstExecutionRunId, created: true };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw unreachable(order.orderId, err) ?? err;
      const description = await this.describe(order.orderId);
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
    const [view, ledger] = await Promise.allSettled([
      this.journeyState(orderId),
      this.records.ledger.forOrder(orderId),
    ]);
    // The journey's own answer first (unknown order, failing journey); then the ledger's (e.g. PostgreSQL down → 503).
    if (view.status === 'rejected') throw view.reason;
    if (ledger.status === 'rejected') throw ledger.reason;
    return withDeliveryOutcomes(view.value, journeyWorkflowId(orderId), ledger.value);
  }

  /**
   * The journey's view without asking the journey (no query: a query answered by a freshly restarted worker can record
   * a history that does not replay — issue 9, cause A). Its workers publish the view at the end of each workflow task
   * (src/workflows/view-publishing.ts), before the task completes; so once the server shows no workflow task pending,
   * the published view has everything the journey was told. While a task is pending (a signal just came in), this
   * waits up to the query timeout for it, then answers the last published view. A journey whose task keeps failing is
   * unavailable, with the reason; a journey from before views were published (none stored yet) is asked by query.
   */
  private async journeyState(orderId: string): Promise<JourneyView> {
    const deadline = Date.now() + this.timeouts.queryMs;
    let diagnosed = false; // a retried task (attempt > 1) is looked into once: failing, or only waiting for a worker
    for (;;) {
      const [description, stored] = await Promise.all([
        this.describe(orderId),
        this.records.views.get(journeyWorkflowId(orderId)),
      ]);
      const pending = description.status.name === 'RUNNING' ? description.raw.pendingWorkflowTask : undefined;
      if ((pending?.attempt ?? 0) > 1 && !diagnosed) {
        diagnosed = true;
        const handle = this.client.workflow.getHandle(journeyWorkflowId(orderId));
        const diagnosis = await whyNoAnswer(this.client, orderId, handle);
        if (diagnosis.reason === 'workflow_task_failing') throw diagnosis;
      }
      if (stored && (!pending || Date.now() >= deadline)) return stored.view;
      if (!stored && !pending) return this.act(orderId, (h) => h.query(journeyQuery), this.timeouts.queryMs);
      if (Date.now() >= deadline) throw noTimelyAnswer(orderId);
      await new Promise((resolve) => setTimeout(resolve, VIEW_SETTLE_POLL_MS));
    }
  }

  /** The journey's execution as the server knows it: needs no worker. */
  private async describe(orderId: string) {
    const handle = this.client.workflow.getHandle(journeyWorkflowId(orderId));
    try {
      return await this.client.withDeadline(Date.now() + this.timeouts.actionMs, () => handle.describe());
    } catch (err) {
      throw await explainJourneyError(this.client, orderId, handle, err);
    }
  }

  async addShipment(orderId: string, shipment: NewShipment) {
    const added = await this.act(orderId, (h) => h.executeUpdate(addShipmentUpdate, { args: [shipment] }));
    // After the journey accepted it (a refused parcel is no parcel of this order); a repeat finds the row already
    // there.
    await this.records.parcels.register({
      trackingNumber: shipment.trackingNumber,
      carrier: shipment.carrier,
      orderId,
    });
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

  /**
   * A carrier update from fulfilment. Checked against the parcel directory in PostgreSQL, never by asking the journey:
   * a signal needs no worker, and a query on this path could be answered by a freshly restarted worker in a way that
   * later fails replay (issue 9, "cause A"). The directory routes a tracking number to
   * its newest order, exactly as the carrier webhooks do.
   */
  async reportTracking(orderId: string, event: TrackingEvent): Promise<void> {
    const owner = await this.records.parcels.orderFor(event.trackingNumber);
    if (owner !== orderId) {
      await this.describe(orderId); // an unknown order is order_not_found, not "parcel not in order"
      throw new NotInOrderError(`order ${orderId} has no parcel with tracking number ${event.trackingNumber}`);
    }
    await this.act(orderId, (h) => h.signal(trackingEventSignal, event));
  }

  /**
   * A review from the review platform. The sku is checked against the order's skus in the journey's memo (describe:
   * no worker). Journeys started before the memo had them are signalled unchecked: the journey records and ignores a
   * review of an item it does not have.
   */
  async submitReview(orderId: string, review: ReviewSubmitted): Promise<void> {
    const { memo } = await this.describe(orderId);
    const skus = memo?.skus;
    if (Array.isArray(skus) && !skus.includes(review.sku))
      throw new NotInOrderError(`item ${review.sku} is not part of order ${orderId}`);
    await this.act(orderId, (h) => h.signal(reviewSubmittedSignal, review));
  }

  requestReturn(orderId: string, request: ReturnRequest, { idempotencyKey }: ActionOptions = {}) {
    const updateId = idempotencyKey ? `return:${idempotencyKey}` : undefined;
    return this.act(orderId, (h) =>
      h.executeUpdate(requestReturnUpdate, { args: [request], ...(updateId ? { updateId } : {}) }),
    );
  }

  cancel(orderId: string, request: CancelRequest, { idempotencyKey }: ActionOptions = {}) {
    const updateId = idempotencyKey ? `cancel:${idempotencyKey}` : undefined;
    return this.act(orderId, (h) =>
      h.executeUpdate(cancelOrderUpdate, { args: [request], ...(updateId ? { updateId } : {}) }),
    );
  }

  /** Runs an action on the order's journey within a deadline, turning Temporal's answers into the service's errors. */
  private async act<T>(
    orderId: string,
    action: (handle: WorkflowHandle) => Promise<T>,
    timeoutMs = this.timeouts.actionMs,
  ): Promise<T> {
    const handle = this.client.workflow.getHandle(journeyWorkflowId(orderId));
    try {
      return await this.client.withDeadline(Date.now() + timeoutMs, () => action(handle));
    } catch (err) {
      throw await explainJourneyError(this.client, orderId, handle, err);
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
      if (!entry || entry.status === message.status || (entry.status !== 'delivered' && entry.status !== 'failed'))
        return message;
      const { error: _sendError, ...rest } = message;
      return {
        ...rest,
        status: entry.status,
        ...(entry.status === 'failed'
          ? { error: { code: entry.errorCode ?? 'unknown', message: entry.errorMessage ?? '' } }
          : {}),
      };
    }),
  };
}
