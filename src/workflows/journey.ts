/**
 * The running journey's state, all of it: the JourneyView, the journey's own bookkeeping, and the work its handlers
 * queued for the main flow (parcel news, bad reviews, returns to announce). Steps change it through its methods; it
 * answers questions about it (what was bought, kept, delivered), hands it all over to a new run, and keeps the Temporal
 * UI legible (search attributes, current details) every time the journey moves on.
 */
import { condition, setCurrentDetails, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { sincePatch } from './patches';
import type { MessageOutcome } from '../activities';
import { expectedDeliveryWindow } from '../domain/delivery-window';
import type { Channel } from '../domain/order';
import type { TrackingStatus } from '../domain/tracking-status';
import { isoNow as now, msUntil } from './clock';
import type { ReviewSubmitted } from './definitions';
import { detailsMarkdown, overallShipmentStatus } from './journey-details';
import type { JourneyInput, JourneyPhase, JourneyResume } from './journey-input';
import type {
  JourneyStage,
  JourneyView,
  ParcelNews,
  ReturnView,
  ReviewView,
  ShipmentView,
  SupportCaseView,
} from './journey-state';
import { messageRecord } from './message-record';
import { JourneyStageKey, ShipmentStatusKey } from './search-attributes';

/**
 * Since this patch a journey continues as new when its run's history passes the budget below (or Temporal suggests it),
 * carrying its view and bookkeeping, so a journey's history never nears Temporal's limits (issue 9, defect 5).
 */
export const CONTINUE_AS_NEW_PATCH = 'order-journey-continue-as-new';

/**
 * A run hands over to a new one once its history has this many events: well below Temporal's warning (10,240) and
 * low enough that the handover itself (finishing what is in flight) keeps every run under 2,000 events.
 */
export const HISTORY_EVENT_BUDGET = 1_500;

/**
 * Temporal's suggestion to continue as new is followed only after this many events of the run (never a loop of runs).
 */
const MIN_EVENTS_BEFORE_SUGGESTED_HANDOVER = 100;

export class Journey {
  readonly view: JourneyView;
  /** Set when nothing is left to do: background loops (tracking, review escalations) end. */
  finished = false;
  /** Skus whose replenishment reminders this order started or reset. */
  replenishing: string[] = [];
  replenishmentStarted = false;

  /** When the first run started: the shipment deadline counts from it. */
  readonly startedAt: string;
  /** Where the main flow is; a new run resumes there. */
  phase: JourneyPhase = 'delivery';
  /** How the delivery phase ended. */
  delivery?: 'delivered' | 'fallback';
  /** Follow-up steps that are over (sent, skipped or not needed). */
  stepsDone: string[] = [];
  /** Set once the review request went: when the reminder is due, and how many reviews there were then. */
  reviewReminder?: { dueAt: string; reviewsBefore: number };
  /** Runs before this one (0 in the first run). */
  readonly run: number;
  /** Whether this run may continue as new (false while replaying histories from before the patch). */
  readonly mayHandOver: boolean;
  /**
   * Set by the main flow when it hands over to a new run: the background loops stop at their next idle point (nothing
   * in flight), handlers drain, and the run continues as new.
   */
  handingOver = false;

  // Work the handlers queued for the main flow, answered in order; what is left at a handover goes to the new run.
  /** Parcel news not answered yet (steps/parcels.ts). */
  readonly parcelNews: ParcelNews[] = [];
  /** Bad reviews not answered yet (steps/reviews.ts). */
  readonly badReviews: ReviewSubmitted[] = [];
  /** Accepted returns whose message and replenishment stop are still to come (steps/returns.ts). */
  readonly returnsToAnnounce: ReturnView[] = [];
  /** Tracking-provider registrations still running (this run only): a handover waits for their answers. */
  readonly trackersRegistering = new Set<Promise<void>>();
  /** Parcels whose registration this run cancelled at a handover, or the previous run handed over: registered again. */
  readonly trackersToRegister: string[] = [];

  constructor(readonly input: JourneyInput) {
    const { order, policy, resume } = input;
    this.mayHandOver = sincePatch(CONTINUE_AS_NEW_PATCH);
    this.run = resume ? resume.run + 1 : 0;
    if (resume) {
      this.view = resume.view;
      this.startedAt = resume.startedAt;
      this.phase = resume.phase;
      this.delivery = resume.delivery;
      this.stepsDone = [...resume.stepsDone];
      this.reviewReminder = resume.reviewReminder;
      this.replenishing = [...resume.replenishing];
      this.replenishmentStarted = resume.replenishmentStarted;
      this.shipmentStatusShown = resume.shipmentStatusShown;
      this.showDetails(); // the new run's page in the Temporal UI shows where the journey stands at once
      return;
    }
    this.startedAt = workflowInfo().startTime.toISOString();
    this.view = {
      orderId: order.orderId,
      customerId: order.customerId,
      policy: policy.name,
      stage: 'confirming',
      items: order.items.map(({ sku, name, quantity }) => ({ sku, name, quantity })),
      expectedDelivery: expectedDeliveryWindow(order, policy),
      deliveredAt: null,
      deliveryConfirmedBy: null,
      shipments: [],
      returns: [],
      reviews: [],
      supportCases: [],
      cancellation: null,
      timeline: [{ at: workflowInfo().startTime.toISOString(), event: 'Order placed; journey started' }],
      messages: [],
      plan: [],
    };
  }

  /** Whether a follow-up step is over. */
  done(step: string): boolean {
    return this.stepsDone.includes(step);
  }

  markDone(step: string): void {
    if (!this.done(step)) this.stepsDone.push(step);
  }

  // Handing over to a new run.

  /** Events of history after which this run hands over. */
  get historyEventBudget(): number {
    return this.input.historyEventBudget ?? HISTORY_EVENT_BUDGET;
  }

  /**
   * Asked by the main flow's long waits (in their conditions): true once this run should continue as new, and from then
   * on `handingOver` tells the background loops to stop at their next idle point. Never after the journey finished.
   */
  timeToHandOver(): boolean {
    if (this.handingOver) return true;
    if (!this.mayHandOver || this.finished) return false;
    const { historyLength, continueAsNewSuggested } = workflowInfo();
    if (
      historyLength >= this.historyEventBudget ||
      (continueAsNewSuggested && historyLength >= MIN_EVENTS_BEFORE_SUGGESTED_HANDOVER)
    ) {
      this.handingOver = true;
    }
    return this.handingOver;
  }

  /**
   * A durable sleep until `dueAt` (no timer when it has passed) that ends early when the run should hand over: true
   * then, and the caller returns so a new run can take the step up again.
   */
  async sleepUntilOrHandOver(dueAt: string, summary: string): Promise<boolean> {
    const ms = msUntil(dueAt);
    if (ms <= 0) return false;
    if (!this.mayHandOver) {
      await sleep(ms, { summary }); // exactly as before the patch
      return false;
    }
    return condition(() => this.timeToHandOver(), ms, { summary });
  }

  /**
   * Takes up the work the previous run's handlers had queued and nobody had answered yet. Called once the handlers are
   * registered, so it follows what they applied from signals buffered at the start, as it always has.
   */
  resumeQueuedWork(): void {
    const { resume } = this.input;
    if (!resume) return;
    this.parcelNews.push(...resume.parcelNews);
    this.badReviews.push(...resume.badReviews);
    this.trackersToRegister.push(...(resume.trackersToRegister ?? []));
    for (const rmaId of resume.returnsToAnnounce) {
      const rma = this.view.returns.find((r) => r.rmaId === rmaId);
      if (rma) this.returnsToAnnounce.push(rma);
    }
  }

  /** What a new run needs from this one: the view, the bookkeeping, and the queued work nobody answered yet. */
  handover(): JourneyResume {
    return {
      view: this.view,
      startedAt: this.startedAt,
      phase: this.phase,
      ...(this.delivery ? { delivery: this.delivery } : {}),
      stepsDone: this.stepsDone,
      ...(this.reviewReminder ? { reviewReminder: this.reviewReminder } : {}),
      replenishing: this.replenishing,
      replenishmentStarted: this.replenishmentStarted,
      ...(this.shipmentStatusShown ? { shipmentStatusShown: this.shipmentStatusShown } : {}),
      parcelNews: [...this.parcelNews],
      badReviews: [...this.badReviews],
      returnsToAnnounce: this.returnsToAnnounce.map((r) => r.rmaId),
      ...(this.trackersToRegister.length ? { trackersToRegister: [...this.trackersToRegister] } : {}),
      run: this.run,
    };
  }

  get order() {
    return this.input.order;
  }

  get policy() {
    return this.input.policy;
  }

  /** Where messages go: by the customer's channel preference (SMS only with a phone number). */
  channels(): [Channel, string][] {
    const { order } = this;
    const to: [Channel, string][] = [];
    if (order.channels.includes('email')) to.push(['email', order.email]);
    if (order.channels.includes('sms') && order.phone) to.push(['sms', order.phone]);
    return to.length ? to : [['email', order.email]];
  }

  // What was bought, shipped, returned.

  bought(): Record<string, number> {
    return Object.fromEntries(this.order.items.map((i) => [i.sku, i.quantity]));
  }

  returned(): Record<string, number> {
    const total: Record<string, number> = {};
    for (const r of this.view.returns.filter((r) => r.status !== 'lapsed')) {
      for (const line of r.items) total[line.sku] = (total[line.sku] ?? 0) + line.quantity;
    }
    return total;
  }

  /** Items the customer keeps: bought minus returned. Reviews and replenishment are about these only. */
  keptItems() {
    const returned = this.returned();
    return this.order.items.filter((item) => item.quantity > (returned[item.sku] ?? 0));
  }

  outboundShipments(): ShipmentView[] {
    return this.view.shipments.filter((s) => s.direction === 'outbound');
  }

  /** Every item is in a parcel, and every parcel has been delivered. */
  everythingDelivered(): boolean {
    const parcels = this.outboundShipments();
    if (parcels.length === 0) return false;
    const shipped: Record<string, number> = {};
    for (const p of parcels) for (const line of p.items) shipped[line.sku] = (shipped[line.sku] ?? 0) + line.quantity;
    const allShipped = this.order.items.every((item) => (shipped[item.sku] ?? 0) >= item.quantity);
    return allShipped && parcels.every((p) => p.status === 'delivered');
  }

  /** The carrier's time of the last delivery, never later than now (carriers' clocks drift); null until all arrived. */
  lastDeliveryScan(): string | null {
    if (!this.everythingDelivered()) return null;
    const lastScan = this.outboundShipments()
      .map((p) => p.statusAt!)
      .sort()
      .at(-1)!;
    return lastScan < now() ? lastScan : now();
  }

  /**
   * When the order counts as delivered for support's actions: as recorded, or — while the journey's own flow has not
   * yet taken the delivery in (its confirmation still behind a provider queue or an outage) — the scans accepted.
   */
  deliveredAtSoFar(): string | null {
    return this.view.deliveredAt ?? this.lastDeliveryScan();
  }

  // What happened: the steps record it here.

  addParcel(parcel: ShipmentView): void {
    this.view.shipments.push(parcel);
  }

  /** A carrier status that moves the parcel on; answers how often the parcel has reached it (2: a second attempt…). */
  moveParcel(parcel: ShipmentView, status: TrackingStatus, occurredAt: string): number {
    parcel.status = status;
    parcel.statusAt = occurredAt;
    parcel.lastProgressAt = now();
    parcel.stalled = false;
    const occurrence = (parcel.statusCounts?.[status] ?? 0) + 1;
    parcel.statusCounts = { ...parcel.statusCounts, [status]: occurrence };
    return occurrence;
  }

  /** A carrier update that did not move the parcel on (a repeat or older news): counted, its event id remembered. */
  noteCarrierEvent(parcel: ShipmentView, eventId: string | undefined, applied: boolean): void {
    if (eventId && !parcel.seenEventIds.includes(eventId))
      parcel.seenEventIds = [...parcel.seenEventIds.slice(-49), eventId];
    if (!applied) parcel.ignoredUpdates += 1;
  }

  parcelChecked(parcel: ShipmentView): void {
    parcel.lastCheckedAt = now();
  }

  parcelStalled(parcel: ShipmentView): void {
    parcel.stalled = true;
  }

  parcelNotPollable(parcel: ShipmentView): void {
    parcel.pollable = false;
  }

  queueParcelNews(news: ParcelNews): void {
    this.parcelNews.push(news);
  }

  addReview(review: ReviewView): void {
    this.view.reviews.push(review);
  }

  queueBadReview(review: ReviewSubmitted): void {
    this.badReviews.push(review);
  }

  acceptReturn(rma: ReturnView): void {
    this.view.returns.push(rma);
  }

  /** An accepted return whose message and replenishment stop the main flow sends. */
  queueReturnAnnouncement(rma: ReturnView): void {
    this.returnsToAnnounce.push(rma);
  }

  settleReturn(rma: ReturnView, status: 'received' | 'lapsed'): void {
    rma.status = status;
  }

  /** Whether the return got a prepaid label, and which (or why not). */
  noteReturnLabel(rma: ReturnView, label: NonNullable<ReturnView['label']>): void {
    rma.label = label;
  }

  addSupportCase(supportCase: SupportCaseView): void {
    this.view.supportCases.push(supportCase);
  }

  cancel(reason: string): string {
    this.view.cancellation = { reason, at: now() };
    return this.view.cancellation.at;
  }

  markDelivered(at: string, how: 'carrier' | 'fallback'): void {
    this.view.deliveredAt = at;
    this.view.deliveryConfirmedBy = how;
  }

  clearPlan(): void {
    this.view.plan = [];
  }

  // Moving on, and showing it.

  /** Moves to a stage; the search attribute changes only when the stage does. */
  enterStage(stage: JourneyStage): void {
    if (this.view.stage !== stage) {
      this.view.stage = stage;
      upsertSearchAttributes([{ key: JourneyStageKey, value: stage }]);
    }
    this.showDetails();
  }

  /** Adds or moves a step in the plan; the plan stays sorted soonest first (steps without a due time last). */
  planStep(step: string, description: string, dueAt: string | null): void {
    const rest = this.view.plan.filter((p) => p.step !== step);
    this.view.plan = [...rest, { step, description, dueAt }].sort((a, b) =>
      (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'),
    );
    this.showDetails();
  }

  unplan(step: string): void {
    this.view.plan = this.view.plan.filter((p) => p.step !== step);
    this.showDetails();
  }

  record(event: string): void {
    this.view.timeline.push({ at: now(), event });
    this.showDetails();
  }

  recordMessage(outcome: MessageOutcome): void {
    this.view.messages.push(messageRecord(outcome));
    const what = `${outcome.messageType.replace(/_/g, ' ')} ${outcome.channel}`;
    this.record(
      outcome.status === 'failed' || outcome.status === 'skipped'
        ? `${what} ${outcome.status}: ${outcome.error?.code ?? 'unknown'}` // e.g. "review request email skipped: marketing_opted_out"
        : `${what} ${outcome.status}`,
    );
  }

  private shipmentStatusShown?: string;

  /** Keeps the ShipmentStatus search attribute on the parcels' overall state. */
  refreshShipmentStatus(): void {
    const overall = overallShipmentStatus(this.outboundShipments());
    if (overall !== undefined && overall !== this.shipmentStatusShown) {
      this.shipmentStatusShown = overall;
      upsertSearchAttributes([{ key: ShipmentStatusKey, value: overall }]);
    }
  }

  /** The "current details" shown on the workflow's page in the Temporal UI. */
  showDetails(): void {
    setCurrentDetails(detailsMarkdown(this.view, this.run));
  }
}
