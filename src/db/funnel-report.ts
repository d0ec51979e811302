/**
 * The funnel report's SQL: one row per message the provider accepted, in cohorts of the order's week and locale, the
 * channel and the message type. How each stage is counted (each a number of messages):
 *
 *   sent       the provider accepted it (sent_at set, or a delivery report came before the send was recorded)
 *   delivered  the ledger says delivered (a later bounce makes it failed again: not delivered)
 *   opened     an open or a click was reported (a click proves an open; SMS have neither)
 *   clicked    a click was reported
 *   reviewed   the order's journey received a review after the message went (journey_views); averageRating is the
 *              mean rating of those reviews
 *   reordered  a replenishment reminder, and the customer ordered the item again after it and before the chain's next
 *              reminder (another step: the same reminder on the other channel is no next one; order_cohorts, else
 *              journey_views)
 *   returned   the order had a return accepted after the message went (journey_views)
 *   cancelled  the order was cancelled after the message went (journey_views)
 *
 * The cohort's week and locale come from order_cohorts (noted at POST /v1/orders). Orders from before it have no row:
 * their week counts from the journey's first timeline entry (else the order's first ledger row) and their locale is
 * "unknown". No address, name or id leaves this query: only cohort keys and counts.
 */
import type { Pool } from 'pg';
import {
  emptyCounts,
  FUNNEL_STAGE_NAMES,
  type FunnelCounts,
  type FunnelGrouping,
  type FunnelReport,
  type FunnelRow,
} from '../domain/funnel';

/** Each grouping's column in the per-message rows below: a fixed list, so no request text reaches the SQL. */
const COLUMNS: Record<FunnelGrouping, string> = {
  week: 'week',
  locale: 'locale',
  channel: 'channel',
  messageType: 'message_type',
};

// Each outcome is gathered once per order (and each engagement once per message) and joined by hash, not looked up per
// message: a year of a busy shop's messages stays a few seconds' work.
const PER_MESSAGE = `
WITH views AS MATERIALIZED (
  SELECT DISTINCT ON (view->>'orderId') view->>'orderId' AS order_id, view, written_at
  FROM journey_views WHERE view ? 'orderId'
  ORDER BY view->>'orderId', written_at DESC
), orders AS MATERIALIZED (
  SELECT order_id, customer_id, locale, placed_at, skus FROM order_cohorts
  UNION ALL
  SELECT v.order_id, v.view->>'customerId', 'unknown',
         COALESCE((v.view->'timeline'->0->>'at')::timestamptz, v.written_at),
         ARRAY(SELECT i->>'sku' FROM jsonb_array_elements(v.view->'items') i)
  FROM views v WHERE NOT EXISTS (SELECT 1 FROM order_cohorts c WHERE c.order_id = v.order_id)
), accepted AS (
  SELECT m.id, m.journey_id, m.order_id, m.step, m.channel, m.message_type, m.status,
         COALESCE(m.sent_at, m.updated_at) AS sent_at, o.customer_id,
         COALESCE(o.locale, 'unknown') AS locale,
         COALESCE(o.placed_at, min(m.created_at) OVER (PARTITION BY m.order_id)) AS placed_at
  FROM message_ledger m LEFT JOIN orders o ON o.order_id = m.order_id
  WHERE m.sent_at IS NOT NULL OR m.status IN ('sent', 'delivered')
), in_range AS MATERIALIZED (
  -- Days compared as text: any day the query allows, without a date conversion that could fail.
  SELECT * FROM accepted WHERE to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') BETWEEN $1 AND $2
), engagement AS (
  SELECT ledger_id, bool_or(kind = 'click') AS clicked
  FROM message_engagement_events WHERE ledger_id IN (SELECT id FROM in_range) GROUP BY ledger_id
), reviews AS (
  SELECT v.order_id, (rv->>'at')::timestamptz AS at, (rv->>'rating')::numeric AS rating
  FROM views v, jsonb_array_elements(v.view->'reviews') rv
), ratings AS (
  SELECT r.id, avg(rv.rating) AS rating FROM in_range r JOIN reviews rv ON rv.order_id = r.order_id AND rv.at >= r.sent_at
  GROUP BY r.id
), last_outcomes AS (
  SELECT v.order_id,
         (SELECT max((rt->>'acceptedAt')::timestamptz) FROM jsonb_array_elements(v.view->'returns') rt) AS returned_at,
         CASE WHEN jsonb_typeof(v.view->'cancellation') = 'object'
              THEN (v.view->'cancellation'->>'at')::timestamptz END AS cancelled_at
  FROM views v
), reminder_steps AS (
  SELECT journey_id, step, lead(at) OVER (PARTITION BY journey_id ORDER BY at) AS next_at
  FROM (SELECT journey_id, step, min(COALESCE(sent_at, updated_at)) AS at FROM message_ledger
        WHERE message_type = 'replenishment_reminder' AND (sent_at IS NOT NULL OR status IN ('sent', 'delivered'))
        GROUP BY journey_id, step) s
), converted AS (
  SELECT DISTINCT r.id
  FROM in_range r
  JOIN reminder_steps w ON w.journey_id = r.journey_id AND w.step = r.step
  JOIN orders later ON later.customer_id = r.customer_id
   AND later.placed_at > r.sent_at AND later.placed_at < COALESCE(w.next_at, 'infinity')
  WHERE r.message_type = 'replenishment_reminder'
    AND EXISTS (SELECT 1 FROM unnest(later.skus) sku WHERE r.journey_id = 'replenish-' || later.customer_id || '-' || sku)
), per_message AS (
  SELECT r.channel, r.message_type, r.locale,
    to_char(date_trunc('week', r.placed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week,
    r.status = 'delivered' AS delivered,
    e.ledger_id IS NOT NULL AS opened,
    COALESCE(e.clicked, false) AS clicked,
    ra.rating,
    COALESCE(o.returned_at >= r.sent_at, false) AS returned,
    COALESCE(o.cancelled_at >= r.sent_at, false) AS cancelled,
    c.id IS NOT NULL AS reordered
  FROM in_range r
  LEFT JOIN engagement e ON e.ledger_id = r.id
  LEFT JOIN ratings ra ON ra.id = r.id
  LEFT JOIN last_outcomes o ON o.order_id = r.order_id
  LEFT JOIN converted c ON c.id = r.id
)`;

interface SqlRow extends FunnelCounts {
  week?: string;
  locale?: string;
  channel?: string;
  message_type?: string;
  averageRating: string | null;
}

export interface FunnelQuery {
  /** First day, inclusive (YYYY-MM-DD, UTC). */
  from: string;
  /** Last day, inclusive (YYYY-MM-DD, UTC). */
  to: string;
  groupBy: FunnelGrouping[];
}

export class FunnelReports {
  constructor(private readonly pool: Pool) {}

  async funnel(query: FunnelQuery): Promise<FunnelReport> {
    const columns = query.groupBy.map((g) => COLUMNS[g]);
    const keys = columns.length ? columns.join(', ') : '';
    const { rows } = await this.pool.query<SqlRow>(
      `${PER_MESSAGE}
       SELECT ${keys ? `${keys}, ` : ''}
         count(*)::int AS sent,
         count(*) FILTER (WHERE delivered)::int AS delivered,
         count(*) FILTER (WHERE opened)::int AS opened,
         count(*) FILTER (WHERE clicked)::int AS clicked,
         count(*) FILTER (WHERE rating IS NOT NULL)::int AS reviewed,
         count(*) FILTER (WHERE reordered)::int AS reordered,
         count(*) FILTER (WHERE returned)::int AS returned,
         count(*) FILTER (WHERE cancelled)::int AS cancelled,
         round(avg(rating), 2)::text AS "averageRating"
       FROM per_message
       ${keys ? `GROUP BY ${keys} ORDER BY ${keys}` : 'HAVING count(*) > 0'}`,
      [query.from, query.to],
    );
    const funnelRows = rows.map((row) => toFunnelRow(row, query.groupBy));
    return { ...query, rows: funnelRows, totals: totalsOf(funnelRows) };
  }
}

function toFunnelRow(row: SqlRow, groupBy: FunnelGrouping[]): FunnelRow {
  const cohort: FunnelRow['cohort'] = {};
  for (const g of groupBy) cohort[g] = String(row[COLUMNS[g] as keyof SqlRow]);
  const counts = emptyCounts();
  for (const stage of FUNNEL_STAGE_NAMES) counts[stage] = row[stage];
  return { cohort, ...counts, averageRating: row.averageRating === null ? null : Number(row.averageRating) };
}

function totalsOf(rows: FunnelRow[]): FunnelReport['totals'] {
  const totals = emptyCounts();
  let ratingSum = 0;
  for (const row of rows) {
    for (const stage of FUNNEL_STAGE_NAMES) totals[stage] += row[stage];
    ratingSum += (row.averageRating ?? 0) * row.reviewed;
  }
  const averageRating = totals.reviewed ? Math.round((ratingSum / totals.reviewed) * 100) / 100 : null;
  return { ...totals, averageRating };
}
