/**
 * The customer workflow's state: one plain object (`CustomerLifecycle`) that the `customerLifecycle` query returns as
 * is and a new run takes over, and the Customer around it, which records what happened, keeps the lists bounded (the
 * workflow lives for years) and keeps the Temporal UI legible (current details) whenever the customer moves on.
 */
import { setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { MessageOutcome } from '../../activities';
import { minutesOf } from '../../domain/durations';
import type { BirthDate, CustomerPolicy } from '../../domain/lifecycle';
import type { MessageType } from '../../domain/message-types';
import { isoNow as now } from '../clock';
import type { CustomerContact, CustomerOrderPlaced, CustomerProfileUpdated } from '../definitions';
import { messageRecord } from '../message-record';

export interface CustomerOrderView {
  orderId: string;
  placedAt: string;
  /** When this workflow took the order in (workflow time): quiet spells count from here at the earliest. */
  knownAt: string;
  total: string;
  currency: string;
  categories: string[];
}

/** A lifecycle message the workflow waits for: the next birthday, anniversary and win-back, soonest first. */
export interface UpcomingMessage {
  /** The message's step in the ledger and the marketing slots (`birthday-2027`, `win-back-<orderId>-1`, …). */
  step: string;
  messageType: Extract<MessageType, 'birthday' | 'anniversary' | 'win_back' | 'win_back_reminder'>;
  description: string;
  dueAt: string;
  /** The year of a birthday, the number of an anniversary or of a win-back message (1, 2). */
  occurrence: number;
}

export interface LifecycleMessageView {
  step: string;
  channel: 'email' | 'sms';
  messageType: string;
  status: string;
  at: string;
  error?: { code: string; message: string };
}

export interface CustomerLifecycle {
  customerId: string;
  policy: CustomerPolicy;
  /** How to reach the customer: from the latest order (none until the first order). */
  contact: CustomerContact | null;
  birthDate: BirthDate | null;
  firstOrderAt: string | null;
  /**
   * When the first order reached this workflow: anniversaries count from here (the same day as the first order, unless
   * an old order was told late — then no anniversary is owed for the years before).
   */
  customerSince: string | null;
  orderCount: number;
  /** Oldest first: every order of the loyalty window, and at least the last few. */
  orders: CustomerOrderView[];
  tier: { name: string; since: string } | null;
  /** Years whose birthday greeting went (the last few). */
  greetedBirthdays: number[];
  anniversariesSent: number;
  /** Win-back messages since the last order: 0, 1 (the win-back), 2 (and its reminder; then silence). */
  winBacksSent: number;
  upcoming: UpcomingMessage[];
  /** The latest lifecycle messages and what became of each (the ledger has them all). */
  messages: LifecycleMessageView[];
  timeline: { at: string; event: string }[];
  /** Runs before this one. */
  run: number;
}

export type CustomerNews =
  { kind: 'order'; order: CustomerOrderPlaced } | { kind: 'profile'; profile: CustomerProfileUpdated };

const KEEP_ORDERS = 5;
const MAX_ORDERS = 200;
const KEEP_MESSAGES = 50;
const KEEP_TIMELINE = 50;
const KEEP_YEARS = 3;

export function newCustomer(customerId: string, policy: CustomerPolicy): CustomerLifecycle {
  return {
    customerId,
    policy,
    contact: null,
    birthDate: null,
    firstOrderAt: null,
    customerSince: null,
    orderCount: 0,
    orders: [],
    tier: null,
    greetedBirthdays: [],
    anniversariesSent: 0,
    winBacksSent: 0,
    upcoming: [],
    messages: [],
    timeline: [],
    run: 0,
  };
}

export class Customer {
  /** News the handlers queued for the main flow, taken in one at a time. */
  readonly news: CustomerNews[];

  constructor(
    readonly state: CustomerLifecycle,
    pending: CustomerNews[] = [],
  ) {
    this.news = [...pending];
  }

  get policy(): CustomerPolicy {
    return this.state.policy;
  }

  lastOrder(): CustomerOrderView | undefined {
    return this.state.orders.at(-1);
  }

  hasOrderNews(): boolean {
    return this.news.some((n) => n.kind === 'order');
  }

  knowsOrder(orderId: string): boolean {
    return this.state.orders.some((o) => o.orderId === orderId);
  }

  /** An order taken in: the latest contact and policy count from now on, and the win-back clock starts over. */
  addOrder(order: CustomerOrderPlaced, keepSince: (orders: CustomerOrderView[]) => CustomerOrderView[]): void {
    const { orderId, placedAt, total, currency, categories } = order;
    const knownAt = now();
    const orders = [...this.state.orders, { orderId, placedAt, knownAt, total, currency, categories }].sort((a, b) =>
      a.placedAt.localeCompare(b.placedAt),
    );
    const kept = keepSince(orders);
    const recent = orders.slice(-KEEP_ORDERS);
    this.state.orders = orders.filter((o) => kept.includes(o) || recent.includes(o)).slice(-MAX_ORDERS);
    this.state.orderCount += 1;
    if (this.state.firstOrderAt === null || placedAt < this.state.firstOrderAt) this.state.firstOrderAt = placedAt;
    this.state.customerSince ??= placedAt > knownAt ? placedAt : knownAt;
    if (this.lastOrder()?.orderId === orderId) {
      this.state.contact = order.contact;
      this.state.policy = order.policy;
      this.state.winBacksSent = 0;
    }
    this.record(`order ${orderId} placed (${total} ${currency})`);
  }

  setBirthDate(birthDate: BirthDate | null, source: string): void {
    this.state.birthDate = birthDate;
    // The date itself stays out of the timeline (it shows in the Temporal UI's details).
    this.record(birthDate ? `birth date recorded by ${source}` : `birth date removed by ${source}`);
  }

  setTier(name: string | null): void {
    this.state.tier = name === null ? null : { name, since: now() };
  }

  /** A yearly or win-back message is over (sent, skipped or failed): never due again. */
  markDone(message: UpcomingMessage): void {
    if (message.messageType === 'birthday')
      this.state.greetedBirthdays = [...this.state.greetedBirthdays, message.occurrence].slice(-KEEP_YEARS);
    else if (message.messageType === 'anniversary') this.state.anniversariesSent = message.occurrence;
    else this.state.winBacksSent = message.occurrence;
  }

  plan(upcoming: UpcomingMessage[]): void {
    this.state.upcoming = upcoming;
    this.showDetails();
  }

  record(event: string): void {
    this.state.timeline = [...this.state.timeline, { at: now(), event }].slice(-KEEP_TIMELINE);
    this.showDetails();
  }

  recordMessage(outcome: MessageOutcome): void {
    const message: LifecycleMessageView = messageRecord(outcome);
    this.state.messages = [...this.state.messages, message].slice(-KEEP_MESSAGES);
    const what = `${outcome.messageType.replace(/_/g, ' ')} ${outcome.channel}`;
    this.record(`${what} ${outcome.status}${outcome.error ? `: ${outcome.error.code}` : ''}`);
  }

  /** The Temporal UI's current details: tier, orders, what is next, what happened lately. No personal data. */
  showDetails(): void {
    const { state } = this;
    const next = state.upcoming.slice(0, 3).map((u) => `- ${u.description} — ${minutesOf(u.dueAt)} UTC`);
    const recent = state.timeline.slice(-5).map((t) => `- ${minutesOf(t.at)} ${t.event}`);
    setCurrentDetails(
      [
        `**Customer** ${state.customerId}: ${state.orderCount} order(s), tier ${state.tier?.name ?? 'none'}` +
          (state.run ? ` (run ${state.run + 1} of ${workflowInfo().workflowId})` : ''),
        ...(next.length ? ['', '**Next**', ...next] : []),
        ...(recent.length ? ['', '**Lately**', ...recent] : []),
      ].join('\n'),
    );
  }
}
