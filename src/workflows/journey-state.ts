/**
 * The journey as support and checkout see it: one plain object, returned as is by the journey query.
 * Handlers and steps record what happened here; nothing else keeps journey state.
 */
import type { Channel } from '../domain/order';
import type { DeliveryWindow } from '../domain/delivery-window';
import type { LedgerStatus } from '../db/ledger';

export type JourneyStage = 'confirming' | 'awaiting_shipment';

export interface TimelineEntry {
  at: string; // ISO instant, workflow time
  event: string;
}

export interface SentMessage {
  step: string;
  channel: Channel;
  messageType: string;
  status: LedgerStatus;
  at: string;
  error?: { code: string; message: string };
}

export interface PlannedStep {
  step: string;
  description: string;
  /** ISO instant when the step is due, or null while it waits for something outside the journey (a shipment). */
  dueAt: string | null;
}

export interface JourneyView {
  orderId: string;
  customerId: string;
  policy: string;
  stage: JourneyStage;
  expectedDelivery: DeliveryWindow;
  timeline: TimelineEntry[];
  messages: SentMessage[];
  /** The next steps, soonest first. */
  plan: PlannedStep[];
}
