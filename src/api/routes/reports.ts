/**
 * Reports for the shop (support role): GET /v1/reports/funnel answers the funnel as JSON; GET /reports draws it, with
 * its weekly trend, as a page of server-rendered SVG charts (src/reports/).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { FunnelReports } from '../../db/funnel-report';
import { FUNNEL_GROUPINGS, FUNNEL_STAGE_NAMES, MAX_FUNNEL_RANGE_DAYS } from '../../domain/funnel';
import { reportsPage } from '../../reports/reports-page';
import { requireRole } from '../auth';
import { parseOr400 } from '../errors';
import type { ApiContract } from '../openapi';
import { funnelQuerySchema, GROUP_BY_PATTERN, reportsPageQuerySchema } from './reports-query';
import { xRules } from '../requests';

export function reportsRouter(config: Config, reports: FunnelReports): Router {
  const router = Router();
  const support = requireRole(config.apiKeys, 'support');

  router.get('/v1/reports/funnel', support, async (req, res) => {
    const query = parseOr400(funnelQuerySchema, req.query, 'query');
    res.json(await reports.funnel(query));
  });

  router.get('/reports', support, async (req, res) => {
    const range = parseOr400(reportsPageQuerySchema, req.query, 'query');
    const [funnel, weekly] = await Promise.all([
      reports.funnel({ ...range, groupBy: [] }),
      reports.funnel({ ...range, groupBy: ['week'] }),
    ]);
    res.type('html').send(reportsPage({ ...range, shopName: config.shop.name, funnel, weekly }));
  });

  return router;
}

const counts = Object.fromEntries(FUNNEL_STAGE_NAMES.map((s) => [s, z.number().int().min(0)])) as Record<
  (typeof FUNNEL_STAGE_NAMES)[number],
  z.ZodNumber
>;
const averageRating = z.number().min(1).max(5).nullable().describe('Mean rating of the reviews counted');

const FunnelReport = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    groupBy: z.array(z.enum(FUNNEL_GROUPINGS)),
    rows: z.array(
      z.object({
        cohort: z.object({
          week: z.string().optional().describe("Monday of the order's ISO week, UTC (YYYY-MM-DD)"),
          locale: z.string().optional().describe('As checkout sent it, lower case; "unknown" for older orders'),
          channel: z.enum(['email', 'sms']).optional(),
          messageType: z.string().optional(),
        }),
        ...counts,
        averageRating,
      }),
    ),
    totals: z.object({ ...counts, averageRating }),
  })
  .meta({ id: 'FunnelReport' });

/** The query as the contract shows it (the handler's schema also splits groupBy and checks the range). */
const documentedQuery = z.object({
  from: z.iso.date().describe('First day of orders to count, UTC (included)'),
  to: z.iso.date().describe('Last day of orders to count, UTC (included)'),
  groupBy: z
    .string()
    .regex(new RegExp(GROUP_BY_PATTERN))
    .optional()
    .describe(`Comma-separated, any of ${FUNNEL_GROUPINGS.join(', ')} (all of them when left out)`),
});

/** The range's rules, which no parameter's own schema can state. */
const rangeRules = xRules(
  { rule: 'not-after', path: 'query.from', other: 'query.to', description: 'from may not be after to' },
  {
    rule: 'within-days-after',
    path: 'query.from',
    other: 'query.to',
    days: MAX_FUNNEL_RANGE_DAYS - 1,
    description: `to is at most ${MAX_FUNNEL_RANGE_DAYS - 1} days after from (a report covers at most ${MAX_FUNNEL_RANGE_DAYS} days)`,
  },
);

export function declareReportRoutes(api: ApiContract): void {
  const common = { tags: ['reports'], roles: ['support' as const], needs: ['database' as const] };
  api.route({
    ...common,
    method: 'get',
    path: '/v1/reports/funnel',
    summary: 'The message funnel per cohort: sent → delivered → opened/clicked → reviewed → reordered → returned',
    description:
      "Counts messages the provider accepted, in cohorts of the order's week (UTC) and locale, the channel and the " +
      'message type; outcomes count messages their order had the outcome after. See the README, "The funnel".',
    request: { query: documentedQuery },
    ...rangeRules,
    responses: {
      200: api.json('The funnel', FunnelReport),
      400: api.error(
        'invalid_request: a day not written YYYY-MM-DD, from after to, a range too long, or an unknown grouping',
      ),
    },
  });
  api.route({
    ...common,
    method: 'get',
    path: '/reports',
    summary: 'The funnel and its weekly trend as a page of SVG charts (last twelve weeks unless from/to are given)',
    description: 'Twelve weeks unless both days are given: up to today, from `from`, or up to `to`.',
    request: { query: documentedQuery.omit({ groupBy: true }).partial() },
    ...rangeRules,
    responses: {
      200: { description: 'An HTML page', content: { 'text/html': { schema: z.string() } } },
      400: api.error('invalid_request: a day not written YYYY-MM-DD, from after to, or a range too long'),
    },
  });
}
