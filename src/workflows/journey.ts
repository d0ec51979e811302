/**
 * The running journey's bookkeeping: it owns the JourneyView, answers questions about it (what was bought, kept,
 * delivered), and keeps the Temporal UI legible (search attributes, current details) every time the journey moves on.
 */
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { MessageOutcome } from '../activities';
import { expectedDeliveryWindow } from '../domain/delivery-window';
import { daysToMs } from '../domain/durations';
import { PROBLEM_STATUSES, TRACKING_STATUSES } from '../domain/tracking-status';
import type { Channel } from '../domain/order';
import { isoNow as now, workflowNow } from './clock';
import type { JourneyInput } from './journey-input';
import type { JourneyStage, JourneyView, ShipmentView } from './journey-state';
import { JourneyStageKey, ShipmentStatusKey } from './search-attributes';

export class Journey {
  readonly view: JourneyView;
  /** Set when nothing is left to do: background loops (tracking, review escalations) end. */
  finished = false;
  /** Skus whose replenishment reminders this order started or reset. */
  replenishing: string[] = [];
  replenishmentStarted = false;

  constructor(readonly input: JourneyInput) {
    const { order, policy } = input;
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

  get order() {
    return this.input.order;
  }

  get policy() {
    return this.input.policy;
  }

  /** A policy duration in milliseconds. */
  days(count: number): number {
    return daysToMs(this.policy, count);
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
    this.view.plan = [...rest, { step, description, dueAt }].sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
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
    this.view.messages.push({
      step: outcome.step,
      channel: outcome.channel,
      messageType: outcome.messageType,
      status: outcome.status,
      at: now(),
      ...(outcome.error ? { error: outcome.error } : {}),
    });
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
    const parcels = this.outboundShipments();
    if (!parcels.length) return;
    const problem = parcels.find((p) => PROBLEM_STATUSES.has(p.status as never));
    const rank = (s: string) => (s === 'registered' ? -1 : TRACKING_STATUSES.indexOf(s as never));
    const least = [...parcels].sort((a, b) => rank(a.status) - rank(b.status))[0]!;
    const overall = problem ? problem.status : least.status;
    if (overall !== this.shipmentStatusShown) {
      this.shipmentStatusShown = overall;
      upsertSearchAttributes([{ key: ShipmentStatusKey, value: overall }]);
    }
  }

  /** ISO instant `ms` after `fromIso`. */
  static after(fromIso: string, ms: number): string {
    return new Date(Date.parse(fromIso) + ms).toISOString();
  }

  /** Milliseconds from now until an ISO instant (0 when it has passed). */
  static msUntil(iso: string): number {
    return Math.max(0, Date.parse(iso) - workflowNow().getTime());
  }


  /** The "current details" shown on the workflow's page in the Temporal UI: a short markdown timeline, no personal data. */
  private showDetails(): void {
    const { view } = this;
    const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');
    const parcels = view.shipments.map((s) => `- ${s.direction === 'return' ? 'return ' : ''}parcel ${s.carrier.toUpperCase()} ${s.trackingNumber}: ${s.status.replace(/_/g, ' ')}`);
    const next = view.plan.slice(0, 3).map((p) => `- ${p.description}${p.dueAt ? ` — ${when(p.dueAt)} UTC` : ''}`);
    const recent = view.timeline.slice(-6).map((t) => `- ${when(t.at)} ${t.event}`);
    setCurrentDetails(
      [
        `**Stage:** ${view.stage.replace(/_/g, ' ')}`,
        ...(parcels.length ? ['', '**Parcels**', ...parcels] : []),
        ...(next.length ? ['', '**Next**', ...next] : []),
        '',
        '**Recent**',
        ...recent,
      ].join('\n'),
    );
  }
}
