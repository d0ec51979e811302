/**
 * Rows as the journeys, the webhooks and POST /v1/orders leave them, written straight into the tables the funnel
 * report reads (ledger, engagement events, order cohorts, journey views), at chosen times in the past, so the
 * report's counts can be known exactly. Ids are unique per call: other tests' rows never match.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { uniqueId } from '../helpers/fixtures';

export interface SeededMessage {
  orderId: string;
  journeyId?: string;
  step: string;
  channel: 'email' | 'sms';
  messageType: string;
  status: 'sent' | 'delivered' | 'failed' | 'skipped';
  /** When the provider accepted it; absent for a message never sent (skipped). */
  sentAt?: string;
}

export class FunnelSeed {
  readonly run = uniqueId('funnel');

  constructor(private readonly pool: Pool) {}

  id(name: string): string {
    return `${name}-${this.run}`;
  }

  async cohort(orderId: string, customerId: string, locale: string, placedAt: string, skus: string[]): Promise<void> {
    await this.pool.query(
      `INSERT INTO order_cohorts (order_id, customer_id, locale, placed_at, skus) VALUES ($1, $2, $3, $4, $5)`,
      [orderId, customerId, locale, placedAt, skus],
    );
  }

  async message(m: SeededMessage): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO message_ledger (journey_id, order_id, step, channel, message_type, status, attempts, provider,
         provider_message_id, sent_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9::timestamptz, COALESCE($9::timestamptz, $10::timestamptz),
         COALESCE($9::timestamptz, $10::timestamptz)) RETURNING id`,
      [
        m.journeyId ?? `order-${m.orderId}`,
        m.orderId,
        m.step,
        m.channel,
        m.messageType,
        m.status,
        m.sentAt ? (m.channel === 'email' ? 'sendgrid' : 'twilio') : null,
        m.sentAt ? randomUUID() : null,
        m.sentAt ?? null,
        '2019-01-01T00:00:00Z',
      ],
    );
    return rows[0]!.id;
  }

  async engagement(ledgerId: string, kind: 'open' | 'click', at: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO message_engagement_events (provider, event_id, ledger_id, kind, occurred_at)
       VALUES ('sendgrid', $1, $2, $3, $4)`,
      [randomUUID(), ledgerId, kind, at],
    );
  }

  /** The journey's view as its worker publishes it, with only what the report reads. */
  async view(
    orderId: string,
    customerId: string,
    outcomes: {
      startedAt: string;
      skus: string[];
      reviews?: { sku: string; rating: number; at: string }[];
      returnsAcceptedAt?: string[];
      cancelledAt?: string;
    },
  ): Promise<void> {
    const view = {
      orderId,
      customerId,
      items: outcomes.skus.map((sku) => ({ sku, name: sku, quantity: 1 })),
      reviews: outcomes.reviews ?? [],
      returns: (outcomes.returnsAcceptedAt ?? []).map((acceptedAt, i) => ({
        rmaId: `rma-${i}`,
        items: [],
        reason: 'changed mind',
        acceptedAt,
        status: 'awaiting_parcel',
      })),
      cancellation: outcomes.cancelledAt ? { reason: 'customer asked', at: outcomes.cancelledAt } : null,
      timeline: [{ at: outcomes.startedAt, event: 'journey started' }],
    };
    await this.pool.query(
      `INSERT INTO journey_views (journey_id, run_id, run, history_length, view) VALUES ($1, $2, 1, 10, $3)`,
      [`order-${orderId}`, randomUUID(), JSON.stringify(view)],
    );
  }
}
