/**
 * The funnel the shop sees: per cohort of messages, how many were sent, delivered, opened, clicked, and how many were
 * followed by the order's review, a reorder of the item (replenishment reminders), a return or a cancellation.
 * Pure: the report's SQL (src/db/funnel-report.ts), its route and its page share these words.
 */

/** What a cohort can be split by: the order's week (from Monday, UTC), its locale, the channel, the message type. */
export const FUNNEL_GROUPINGS = ['week', 'locale', 'channel', 'messageType'] as const;
export type FunnelGrouping = (typeof FUNNEL_GROUPINGS)[number];

/** The stages in funnel order. */
export const FUNNEL_STAGE_NAMES = [
  'sent',
  'delivered',
  'opened',
  'clicked',
  'reviewed',
  'reordered',
  'returned',
  'cancelled',
] as const;
export type FunnelStageName = (typeof FUNNEL_STAGE_NAMES)[number];

export type FunnelCounts = Record<FunnelStageName, number>;

export interface FunnelRow extends FunnelCounts {
  /** Only the groupings asked for are present. */
  cohort: Partial<Record<FunnelGrouping, string>>;
  /** Mean rating of the reviews counted in `reviewed` (each message: its order's reviews after it), null if none. */
  averageRating: number | null;
}

export interface FunnelReport {
  from: string;
  to: string;
  groupBy: FunnelGrouping[];
  rows: FunnelRow[];
  totals: FunnelCounts & { averageRating: number | null };
}

/** The longest range one report covers: a year and a day (a leap year, and both ends included). */
export const MAX_FUNNEL_RANGE_DAYS = 367;

/** How each stage reads to people (the page's labels). */
export const FUNNEL_STAGE_LABELS: Record<FunnelStageName, string> = {
  sent: 'Sent',
  delivered: 'Delivered',
  opened: 'Opened',
  clicked: 'Clicked',
  reviewed: 'Review submitted',
  reordered: 'Reordered',
  returned: 'Returned',
  cancelled: 'Cancelled',
};

export function emptyCounts(): FunnelCounts {
  return Object.fromEntries(FUNNEL_STAGE_NAMES.map((s) => [s, 0])) as FunnelCounts;
}
