/**
 * The funnel report's query: `from` and `to` as days (YYYY-MM-DD, UTC, both included), and `groupBy` as a
 * comma-separated list of groupings (all four when left out). Every client mistake is a 400 naming what is wrong.
 */
import { z } from 'zod';
import { FUNNEL_GROUPINGS, MAX_FUNNEL_RANGE_DAYS, type FunnelGrouping } from '../../domain/funnel';

const DAY_MS = 86_400_000;
const day = z.iso.date({ message: 'must be a day written YYYY-MM-DD, such as 2026-11-02' });
const isGrouping = (value: string): value is FunnelGrouping => (FUNNEL_GROUPINGS as readonly string[]).includes(value);

/** What the contract states for groupBy: known names, comma-separated (a name given twice counts once). */
export const GROUP_BY_PATTERN = `^(${FUNNEL_GROUPINGS.join('|')})(,(${FUNNEL_GROUPINGS.join('|')}))*$`;

const groupBy = z
  .string()
  .optional()
  .transform((text, ctx): FunnelGrouping[] => {
    if (text === undefined) return [...FUNNEL_GROUPINGS];
    const names = text.split(',');
    const unknown = names.filter((n) => !isGrouping(n));
    if (unknown.length) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown grouping ${unknown.map((n) => JSON.stringify(n)).join(', ')}; use ${FUNNEL_GROUPINGS.join(', ')}`,
      });
      return z.NEVER;
    }
    return [...new Set(names as FunnelGrouping[])];
  });

function rangeRules(range: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const days = (Date.parse(range.to) - Date.parse(range.from)) / DAY_MS + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: `must not be after to (${range.to})` });
  else if (days > MAX_FUNNEL_RANGE_DAYS)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `makes a range of ${days} days; a report covers at most ${MAX_FUNNEL_RANGE_DAYS}`,
    });
}

export const funnelQuerySchema = z
  .object({
    from: day.describe('First day of orders to count, UTC (included)'),
    to: day.describe('Last day of orders to count, UTC (included)'),
    groupBy,
  })
  .superRefine(rangeRules);

/** The range of the page's charts by default: twelve weeks. */
const DEFAULT_PAGE_DAYS = 84;
const shift = (d: string, days: number) => new Date(Date.parse(d) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The page's query: the same range, no groupBy. Left out, the range is twelve weeks: up to today, or from `from`, or up
 * to `to`.
 */
export const reportsPageQuerySchema = z
  .object({
    from: day.optional(),
    to: day.optional(),
  })
  .transform(({ from, to }) => {
    if (from && to) return { from, to };
    if (from) return { from, to: shift(from, DEFAULT_PAGE_DAYS - 1) };
    const last = to ?? new Date().toISOString().slice(0, 10);
    return { from: shift(last, -(DEFAULT_PAGE_DAYS - 1)), to: last };
  })
  .superRefine(rangeRules);
