/**
 * Opens and clicks of our emails as the provider reports them (migration 1763900800000): what the funnel report counts
 * as "opened" and "clicked". Idempotent per provider event id.
 */
import type { Pool } from 'pg';
import type { Channel } from '../domain/order';

export type EngagementKind = 'open' | 'click';

export interface EngagementEvent {
  provider: string;
  eventId: string;
  kind: EngagementKind;
  /** Our ledger row's id, when the provider echoes it; else the provider's own message id finds the message. */
  ledgerId?: string;
  providerMessageId?: string;
  occurredAt: Date;
}

export interface RecordedEngagement {
  ledgerId: string;
  channel: Channel;
  messageType: string;
  /** True when this is the message's first event of this kind (its first open, its first click). */
  firstOfKind: boolean;
  /** False when the event id was recorded before: nothing changed. */
  recorded: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class MessageEngagement {
  constructor(private readonly pool: Pool) {}

  /** Stores the event against its message. Null when no message matches (the caller keeps it for support). */
  async record(event: EngagementEvent): Promise<RecordedEngagement | null> {
    const byId = event.ledgerId && UUID.test(event.ledgerId) ? event.ledgerId : null;
    if (!byId && !event.providerMessageId) return null;
    const { rows } = await this.pool.query<RecordedEngagement>(
      `WITH target AS (
         SELECT id, channel, message_type FROM message_ledger
         WHERE id = $1::uuid OR (provider = $2 AND provider_message_id = $3)
         ORDER BY (id = $1::uuid) DESC NULLS LAST
         LIMIT 1
       ), earlier AS (
         SELECT count(*) AS n FROM message_engagement_events e, target
         WHERE e.ledger_id = target.id AND e.kind = $5 AND NOT (e.provider = $2 AND e.event_id = $4)
       ), inserted AS (
         INSERT INTO message_engagement_events (provider, event_id, ledger_id, kind, occurred_at)
         SELECT $2, $4, id, $5, $6 FROM target
         ON CONFLICT (provider, event_id) DO NOTHING
         RETURNING ledger_id
       )
       SELECT target.id AS "ledgerId", target.channel, target.message_type AS "messageType",
              (SELECT n FROM earlier) = 0 AS "firstOfKind",
              EXISTS (SELECT 1 FROM inserted) AS recorded
       FROM target`,
      [byId, event.provider, event.providerMessageId ?? null, event.eventId, event.kind, event.occurredAt],
    );
    return rows[0] ?? null;
  }

  /** How many events of each kind a message has (for support and tests). */
  async countsFor(ledgerId: string): Promise<Record<EngagementKind, number>> {
    const { rows } = await this.pool.query<{ kind: EngagementKind; n: number }>(
      `SELECT kind, count(*)::int AS n FROM message_engagement_events WHERE ledger_id = $1 GROUP BY kind`,
      [ledgerId],
    );
    const counts: Record<EngagementKind, number> = { open: 0, click: 0 };
    for (const row of rows) counts[row.kind] = row.n;
    return counts;
  }
}
