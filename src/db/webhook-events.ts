/**
 * The webhook inbox: which provider events were handled (so a retried or replayed event changes nothing), and the
 * events that matched nothing (kept for support to look into and replay, never dropped).
 */
import type { Pool } from 'pg';

export interface UnmatchedEvent {
  provider: string;
  eventId?: string;
  /** Why nothing matched, e.g. "unknown_tracking_number", "journey_ended", "unknown_message". */
  reason: string;
  /** What it was looked up by (tracking number, message id): how support finds it again. */
  lookupKey?: string;
  /** The normalized event as it would have been applied. No personal data (no addresses, no message bodies). */
  event: object;
}

export interface StoredUnmatchedEvent extends Required<Omit<UnmatchedEvent, 'eventId' | 'lookupKey'>> {
  id: string;
  eventId: string | null;
  lookupKey: string | null;
  receivedAt: Date;
}

export class WebhookInbox {
  constructor(private readonly pool: Pool) {}

  /** True when this provider event was handled before: a redelivery or a replay, to answer 2xx and leave alone. */
  async seen(provider: string, eventId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM webhook_events WHERE provider = $1 AND event_id = $2`, [
      provider,
      eventId,
    ]);
    return rowCount === 1;
  }

  /** Records that the event was handled (after handling it, so an event is never marked handled and then lost). */
  async remember(provider: string, eventId: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO webhook_events (provider, event_id) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT webhook_events_once DO NOTHING`,
      [provider, eventId],
    );
  }

  async keepUnmatched(event: UnmatchedEvent): Promise<void> {
    await this.pool.query(
      `INSERT INTO unmatched_webhook_events (provider, event_id, reason, lookup_key, event) VALUES ($1, $2, $3, $4, $5)`,
      [event.provider, event.eventId ?? null, event.reason, event.lookupKey ?? null, JSON.stringify(event.event)],
    );
  }

  async unmatched(filter: { provider?: string; lookupKey?: string } = {}): Promise<StoredUnmatchedEvent[]> {
    const { rows } = await this.pool.query<StoredUnmatchedEvent>(
      `SELECT id, provider, event_id AS "eventId", reason, lookup_key AS "lookupKey", event, received_at AS "receivedAt"
       FROM unmatched_webhook_events
       WHERE ($1::text IS NULL OR provider = $1) AND ($2::text IS NULL OR lookup_key = $2)
       ORDER BY received_at`,
      [filter.provider ?? null, filter.lookupKey ?? null],
    );
    return rows;
  }
}
