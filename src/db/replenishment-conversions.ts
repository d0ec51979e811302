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
  /** Notes waiting for the statement in flight to end (noteAndConvert). */
  private readonly waiting: { order: OrderCohort; resolve: (c: Channel[]) => void; reject: (e: unknown) => void }[] =
    [];
  private flushing = false;
  private linger: NodeJS.Timeout | undefined;

  constructor(private readonly pool: Pool) {}

  /** The channels of the reminders this order converts (one entry per reminder message). */
  async convertedBy(order: OrderCohort): Promise<Channel[]> {
    const { rows } = await this.pool.query<{ channel: Channel }>(`WITH ${REMINDERS_CONVERTED}`, [
      order.customerId,
      order.skus,
      order.placedAt,
      order.orderId,
    ]);
    return rows.map((r) => r.channel);
  }

  /**
   * Notes a new order's cohort (as OrderCohorts.note) and answers what it converts. The API does this for every order,
   * after its answer, so a note may wait: notes are gathered for up to NOTE_LINGER_MS (or until a statement in flight
   * ends) and go together in one statement (group commit). Under load many orders share one round trip and one
   * execution (`npm run bench:cohort-note`: PostgreSQL and API CPU per note against a statement per order); a note
   * waiting when the process stops is lost, as one a crash loses, and the report falls back on the order's journey
   * view. A failed statement fails every note in it. An order noted before converts nothing again. Written, as
   * OrderCohorts.note, through the API's pool that commits without waiting for the disk.
   */
  noteAndConvert(order: OrderCohort): Promise<Channel[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ order, resolve, reject });
      if (this.flushing) return; // goes in the next statement, as soon as this one ends
      if (this.waiting.length >= MAX_NOTES_PER_STATEMENT) this.flushNow();
      else this.linger ??= setTimeout(() => this.flushNow(), NOTE_LINGER_MS).unref();
    });
  }

  private flushNow(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    if (!this.flushing) void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, MAX_NOTES_PER_STATEMENT);
        try {
          const converted = await this.noteAndConvertMany(batch.map((w) => w.order));
          batch.forEach((w, i) => w.resolve(converted[i]!));
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Notes the orders' cohorts and answers, for each order in turn, the channels of the reminders it converts: one
   * statement, named so that each connection parses and plans it once. An order already noted (before, or earlier in
   * the list) converts nothing.
   */
  async noteAndConvertMany(orders: OrderCohort[]): Promise<Channel[][]> {
    const { rows } = await this.pool.query<{ orderId: string; channel: Channel }>({
      name: 'note-and-convert-many',
      text: NOTE_AND_CONVERT_MANY_SQL,
      values: noteAndConvertValues(orders),
    });
    const converted = new Map<string, Channel[]>();
    for (const r of rows) converted.set(r.orderId, [...(converted.get(r.orderId) ?? []), r.channel]);
    const answered = new Set<string>();
    return orders.map((o) => {
      if (answered.has(o.orderId)) return []; // the same order twice in one list: converted once
      answered.add(o.orderId);
      return converted.get(o.orderId) ?? [];
    });
  }
}

/**
 * How long a note waits for others: at P1's 200 orders a second about four share a statement; at an average shop's
 * rate each goes alone, 20 ms late, which nobody waits for (the order was answered before).
 */
const NOTE_LINGER_MS = 20;

/** Orders per statement at most: a burst larger than this goes at once, and in several. */
const MAX_NOTES_PER_STATEMENT = 200;

/** NOTE_AND_CONVERT_MANY_SQL's one parameter: the orders as a JSON array. */
function noteAndConvertValues(orders: OrderCohort[]): unknown[] {
  return [
    JSON.stringify(
      orders.map((o) => ({
        order_id: o.orderId,
        customer_id: o.customerId,
        locale: o.locale,
        placed_at: o.placedAt.toISOString(),
        skus: o.skus,
      })),
    ),
  ];
}

/**
 * For each item of the order ($1 customer, $2 skus, $3 placed at, $4 order id): the chain's latest reminder sent before
 * it, each channel, unless an earlier order of the item already followed that reminder.
 */
const REMINDERS_CONVERTED = `reminders AS (
         SELECT sku, m.step, m.channel, COALESCE(m.sent_at, m.updated_at) AS at
         FROM unnest($2::text[]) AS sku
         JOIN message_ledger m ON m.journey_id = 'replenish-' || $1 || '-' || sku
         WHERE m.message_type = 'replenishment_reminder' AND (m.sent_at IS NOT NULL OR m.status IN ('sent', 'delivered'))
           AND COALESCE(m.sent_at, m.updated_at) < $3
       ), latest AS (
         SELECT DISTINCT ON (sku) sku, step FROM reminders ORDER BY sku, at DESC
       )
       SELECT r.channel FROM reminders r JOIN latest l ON l.sku = r.sku AND l.step = r.step
       WHERE NOT EXISTS (
         SELECT 1 FROM order_cohorts o
         WHERE o.customer_id = $1 AND r.sku = ANY (o.skus) AND o.order_id <> $4 AND o.placed_at > r.at AND o.placed_at < $3
       )`;

/**
 * ReplenishmentConversions.noteAndConvertMany's statement ($1: the orders, JSON): the same rule as REMINDERS_CONVERTED,
 * for each order noted by this statement. The earlier orders it looks for are those noted before and those in the
 * same list, since the statement cannot see its own inserts.
 */
const NOTE_AND_CONVERT_MANY_SQL = `WITH input AS (
         SELECT DISTINCT ON (order_id) order_id, customer_id, locale, placed_at, skus
         FROM jsonb_to_recordset($1::jsonb)
           AS i(order_id text, customer_id text, locale text, placed_at timestamptz, skus text[])
         ORDER BY order_id
       ), noted AS (
         INSERT INTO order_cohorts (order_id, customer_id, locale, placed_at, skus)
         SELECT order_id, customer_id, locale, placed_at, skus FROM input
         ON CONFLICT (order_id) DO NOTHING RETURNING order_id
       ), fresh AS (
         SELECT i.* FROM input i JOIN noted n ON n.order_id = i.order_id
       ), reminders AS (
         SELECT f.order_id, sku, m.step, m.channel, COALESCE(m.sent_at, m.updated_at) AS at
         FROM fresh f CROSS JOIN LATERAL unnest(f.skus) AS sku
         JOIN message_ledger m ON m.journey_id = 'replenish-' || f.customer_id || '-' || sku
         WHERE m.message_type = 'replenishment_reminder' AND (m.sent_at IS NOT NULL OR m.status IN ('sent', 'delivered'))
           AND COALESCE(m.sent_at, m.updated_at) < f.placed_at
       ), latest AS (
         SELECT DISTINCT ON (order_id, sku) order_id, sku, step FROM reminders ORDER BY order_id, sku, at DESC
       )
       SELECT r.order_id AS "orderId", r.channel
       FROM reminders r
       JOIN latest l ON l.order_id = r.order_id AND l.sku = r.sku AND l.step = r.step
       JOIN fresh f ON f.order_id = r.order_id
       WHERE NOT EXISTS (
         SELECT 1 FROM order_cohorts o
         WHERE o.customer_id = f.customer_id AND r.sku = ANY (o.skus) AND o.order_id <> f.order_id
           AND o.placed_at > r.at AND o.placed_at < f.placed_at
       ) AND NOT EXISTS (
         SELECT 1 FROM input o
         WHERE o.customer_id = f.customer_id AND r.sku = ANY (o.skus) AND o.order_id <> f.order_id
           AND o.placed_at > r.at AND o.placed_at < f.placed_at
       )`;
