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

const PER_MESSAGE = `
WITH views AS (
  SELECT DISTINCT ON (view->>'orderId') view->>'orderId' AS order_id, view, written_at
  FROM journey_views WHERE view ? 'orderId'
  ORDER BY view->>'orderId', written_at DESC
), orders AS (
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
), in_range AS (
  -- Days compared as text: any day the query allows, without a date conversion that could fail.
  SELECT * FROM accepted WHERE to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') BETWEEN $1 AND $2
), per_message AS (
  SELECT r.channel, r.message_type, r.locale,
    to_char(date_trunc('week', r.placed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week,
    r.status = 'delivered' AS delivered,
    EXISTS (SELECT 1 FROM message_engagement_events e WHERE e.ledger_id = r.id) AS opened,
    EXISTS (SELECT 1 FROM message_engagement_events e WHERE e.ledger_id = r.id AND e.kind = 'click') AS clicked,
    (SELECT avg((rv->>'rating')::numeric) FROM views v, jsonb_array_elements(v.view->'reviews') rv
      WHERE v.order_id = r.order_id AND (rv->>'at')::timestamptz >= r.sent_at) AS rating,
    EXISTS (SELECT 1 FROM views v, jsonb_array_elements(v.view->'returns') rt
      WHERE v.order_id = r.order_id AND (rt->>'acceptedAt')::timestamptz >= r.sent_at) AS returned,
    EXISTS (SELECT 1 FROM views v
      WHERE v.order_id = r.order_id AND jsonb_typeof(v.view->'cancellation') = 'object'
        AND (v.view->'cancellation'->>'at')::timestamptz >= r.sent_at) AS cancelled,
    r.message_type = 'replenishment_reminder' AND EXISTS (
      SELECT 1 FROM orders later, unnest(later.skus) AS sku
      WHERE later.customer_id = r.customer_id
        AND r.journey_id = 'replenish-' || later.customer_id || '-' || sku
        AND later.placed_at > r.sent_at
        AND later.placed_at < COALESCE((
          SELECT min(COALESCE(n.sent_at, n.updated_at)) FROM message_ledger n
          WHERE n.journey_id = r.journey_id AND n.message_type = 'replenishment_reminder' AND n.step <> r.step
            AND (n.sent_at IS NOT NULL OR n.status IN ('sent', 'delivered'))
            AND COALESCE(n.sent_at, n.updated_at) > r.sent_at), 'infinity')
    ) AS reordered
  FROM in_range r
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
