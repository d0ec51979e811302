/**
 * What an email provider's event does here, whichever provider sent it (SendGrid's Event Webhook, Resend's webhook):
 * a delivery report moves the message's ledger row on, an open or a click is recorded for the funnel, a complaint or a
 * hard bounce opts the address out. An event whose message the ledger does not know is kept for support.
 */
import type { ConsentStore } from '../../db/consent';
import type { DeliveryReport, MessageLedger } from '../../db/ledger';
import type { MessageEngagement } from '../../db/message-engagement';
import type { WebhookInbox } from '../../db/webhook-events';
import type { Logger } from '../../logger';
import type { FunnelEvents } from '../../observability/funnel-metrics';
import type { EventOutcome } from './inbox';

export interface EmailEventDeps extends DeliveryReportDeps {
  consent: ConsentStore;
  inbox: WebhookInbox;
  logger: Logger;
  /** Where opens and clicks are recorded; left out, they are ignored. */
  engagement?: MessageEngagement;
  /** The funnel's Prometheus counters (delivered, opened, clicked). */
  funnel?: FunnelEvents;
}

/** What recording a delivery report needs. */
export interface DeliveryReportDeps {
  ledger: MessageLedger;
  inbox: WebhookInbox;
  logger: Logger;
  funnel?: FunnelEvents;
}

/** One provider event about one message, as the provider's webhook read it. */
export interface EmailEvent {
  provider: string;
  /** The provider's event id: each is handled once. */
  eventId: string;
  /** The provider's name for what happened, kept with an unmatched event. */
  name: string;
  /** Our ledger id, when the provider echoes it (SendGrid custom args, Resend tags). */
  ledgerId?: string;
  providerMessageId?: string;
  at?: Date;
  /** The recipient, for an opt-out; never logged or kept. */
  email?: string;
}

type Handled = Exclude<EventOutcome, 'duplicate'>;

/**
 * A delivery report (an email's, or an SMS's from a provider that reports like one): the ledger row moves on (never
 * back); the funnel counts a first delivery.
 */
export async function recordDeliveryReport(
  deps: DeliveryReportDeps,
  event: EmailEvent,
  report: DeliveryReport,
): Promise<Handled> {
  const { provider, ledgerId, providerMessageId } = event;
  const entry = await deps.ledger.recordDelivery({ provider, ledgerId, providerMessageId }, report);
  if (!entry) {
    deps.logger.warn(
      { provider, eventId: event.eventId, event: event.name },
      'delivery report for an unknown message: kept for support',
    );
    await keepUnknownMessage(deps, event, { event: event.name, ...report });
    return 'unmatched';
  }
  deps.logger.info(
    { provider, ledgerId: entry.id, event: event.name, status: entry.status },
    'delivery report recorded',
  );
  if (report.status === 'delivered' && entry.status === 'delivered')
    deps.funnel?.reached('delivered', { channel: entry.channel, messageType: entry.messageType });
  return 'applied';
}

/** An open or a click: stored once per event id against its message; the funnel counts each message's first. */
export async function recordEmailEngagement(
  deps: EmailEventDeps & { engagement: MessageEngagement },
  event: EmailEvent,
  kind: 'open' | 'click',
): Promise<Handled> {
  const recorded = await deps.engagement.record({
    provider: event.provider,
    eventId: event.eventId,
    kind,
    ledgerId: event.ledgerId,
    providerMessageId: event.providerMessageId,
    occurredAt: event.at ?? new Date(),
  });
  if (!recorded) {
    await keepUnknownMessage(deps, event, { event: kind });
    return 'unmatched';
  }
  if (recorded.recorded && recorded.firstOfKind) deps.funnel?.reached(kind === 'open' ? 'opened' : 'clicked', recorded);
  return 'applied';
}

/** The address may get no more email from us: a hard bounce, a spam complaint, an unsubscribe at the provider. */
export async function optOutEmail(deps: EmailEventDeps, event: EmailEvent, source: string, reason: string) {
  if (!event.email) return;
  await deps.consent.record({
    channel: 'email',
    address: event.email,
    status: 'opted_out',
    source: `${event.provider}:${source}`,
    reason,
    ...(event.at ? { at: event.at } : {}),
  });
}

/** An event whose message the ledger does not know: kept for support with what it said (never the address). */
function keepUnknownMessage(deps: DeliveryReportDeps, event: EmailEvent, said: Record<string, unknown>): Promise<void> {
  return deps.inbox.keepUnmatched({
    provider: event.provider,
    eventId: event.eventId,
    reason: 'unknown_message',
    lookupKey: event.ledgerId ?? event.providerMessageId,
    event: {
      ...said,
      ...(event.ledgerId ? { ledgerId: event.ledgerId } : {}),
      ...(event.providerMessageId ? { providerMessageId: event.providerMessageId } : {}),
    },
  });
}

/** SMTP answers quote the recipient's address; the reason ends up in the ledger and the journey view. */
export function withoutAddresses(reason: string | undefined): string {
  return (reason ?? 'no reason given').replace(/[^\s<>"'@]+@[^\s<>"'@]+\.[^\s<>"'@]+/g, '[email]').slice(0, 500);
}
