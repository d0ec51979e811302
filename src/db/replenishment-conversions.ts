/**
 * Which replenishment reminders a new order converts, for the funnel's "reordered" counter: for each item of the order,
 * the chain's latest reminder sent before the order was placed (each channel it went on), unless an earlier order of
 * the item already followed that reminder. The same rule as the funnel report's (src/db/funnel-report.ts), counted at
 * the moment the order arrives.
 */
import type { Pool } from 'pg';
import type { Channel } from '../domain/order';
import type { OrderCohort } from './order-cohorts';

export class ReplenishmentConversions {
  constructor(private readonly pool: Pool) {}

  /** The channels of the reminders this order converts (one entry per reminder message). */
  async convertedBy(order: OrderCohort): Promise<Channel[]> {
    const { rows } = await this.pool.query<{ channel: Channel }>(`WITH ${remindersConverted('')}`, [
      order.customerId,
      order.skus,
      order.placedAt,
      order.orderId,
    ]);
    return rows.map((r) => r.channel);
  }

  /**
   * Notes a new order's cohort (as OrderCohorts.note) and answers what it converts, in one round trip: the API does
   * this for every order, so one statement instead of two. An order noted before converts nothing again. Written, as
   * OrderCohorts.note, through the API's pool that commits without waiting for the disk. A named statement: each
   * connection parses and plans it once, not per order (`npm run bench:cohort-note` measures what that saves
   * PostgreSQL, whose CPU the Temporal server shares).
   */
  async noteAndConvert(order: OrderCohort): Promise<Channel[]> {
    const { rows } = await this.pool.query<{ channel: Channel }>({
      name: 'note-and-convert',
      text: NOTE_AND_CONVERT_SQL,
      values: noteAndConvertValues(order),
    });
    return rows.map((r) => r.channel);
  }
}

export function noteAndConvertValues(order: OrderCohort): unknown[] {
  return [order.customerId, order.skus, order.placedAt, order.orderId, order.locale];
}

/**
 * For each item of the order ($1 customer, $2 skus, $3 placed at, $4 order id): the chain's latest reminder sent before
 * it, each channel, unless an earlier order of the item already followed that reminder. `guard` prefixes the final
 * condition.
 */
function remindersConverted(guard: string): string {
  return `reminders AS (
         SELECT sku, m.step, m.channel, COALESCE(m.sent_at, m.updated_at) AS at
         FROM unnest($2::text[]) AS sku
         JOIN message_ledger m ON m.journey_id = 'replenish-' || $1 || '-' || sku
         WHERE m.message_type = 'replenishment_reminder' AND (m.sent_at IS NOT NULL OR m.status IN ('sent', 'delivered'))
           AND COALESCE(m.sent_at, m.updated_at) < $3
       ), latest AS (
         SELECT DISTINCT ON (sku) sku, step FROM reminders ORDER BY sku, at DESC
       )
       SELECT r.channel FROM reminders r JOIN latest l ON l.sku = r.sku AND l.step = r.step
       WHERE ${guard} NOT EXISTS (
         SELECT 1 FROM order_cohorts o
         WHERE o.customer_id = $1 AND r.sku = ANY (o.skus) AND o.order_id <> $4 AND o.placed_at > r.at AND o.placed_at < $3
       )`;
}

/** ReplenishmentConversions.noteAndConvert's statement ($1 customer, $2 skus, $3 placed at, $4 order id, $5 locale). */
export const NOTE_AND_CONVERT_SQL = `WITH noted AS (
         INSERT INTO order_cohorts (order_id, customer_id, locale, placed_at, skus) VALUES ($4, $1, $5, $3, $2)
         ON CONFLICT (order_id) DO NOTHING RETURNING order_id
       ), ${remindersConverted('EXISTS (SELECT 1 FROM noted) AND')}`;
