/** Orders from checkout: start a journey (idempotently) and read it back. */
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { OrderCohort, OrderCohorts } from '../../db/order-cohorts';
import type { ReplenishmentConversions } from '../../db/replenishment-conversions';
import { orderSchema } from '../../domain/order';
import type { JourneyService } from '../../journeys/journey-service';
import type { Logger } from '../../logger';
import type { FunnelEvents } from '../../observability/funnel-metrics';
import { requireRole } from '../auth';
import { parseOr400, requestIdOf } from '../errors';
import { journeyAction } from '../journey-errors';
import { jsonBody } from '../json-body';
import type { ApiContract } from '../openapi';
import { xRules } from '../requests';
import { journeyStartedSchema, journeyViewSchema } from '../responses';

export const orderIdParam = z.object({ orderId: orderSchema.shape.orderId });

/** Where the order's funnel cohort is noted (left out: not noted; the report then falls back on the ledger). */
export interface CohortNotes {
  cohorts: OrderCohorts;
  conversions: ReplenishmentConversions;
  funnel: FunnelEvents;
  logger: Logger;
}

export function ordersRouter(config: Config, journeys: JourneyService, notes?: CohortNotes): Router {
  const router = Router();

  // Its own JSON parser, after the key check: the router is mounted ahead of the app's parser (src/api/app.ts).
  router.post('/v1/orders', requireRole(config.apiKeys, 'checkout'), jsonBody, async (req, res) => {
    const order = parseOr400(orderSchema, req.body, 'order');
    const started = await journeyAction(journeys.start(order, { requestId: requestIdOf(req) }));
    res.status(started.created ? 201 : 200).json({ workflowId: started.workflowId, runId: started.runId });
    // After the answer: the order needs no database, and a slow or absent one must not hold it up.
    if (notes) void noteCohort(notes, order, started.created);
  });

  router.get('/v1/orders/:orderId/journey', requireRole(config.apiKeys, 'checkout', 'support'), async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    res.json(await journeyAction(journeys.view(orderId)));
  });

  return router;
}

/**
 * The report's cohort of the order and, for a new order, the replenishment reminders it converts (the funnel's
 * "reordered" counter). Never fails the order (nor throws): a cohort not noted only makes the report less exact.
 */
async function noteCohort(
  { cohorts, conversions, funnel, logger }: CohortNotes,
  order: z.infer<typeof orderSchema>,
  isNew: boolean,
): Promise<void> {
  const cohort: OrderCohort = {
    orderId: order.orderId,
    customerId: order.customerId,
    locale: order.locale.toLowerCase(),
    placedAt: new Date(order.placedAt),
    skus: order.items.map((i) => i.sku),
  };
  try {
    if (!isNew) return await cohorts.note(cohort); // a repeat: noted the first time, unless that failed
    for (const channel of await conversions.noteAndConvert(cohort))
      funnel.reached('reordered', { channel, messageType: 'replenishment_reminder' });
  } catch (err) {
    logger.warn({ err, orderId: order.orderId }, "order's funnel cohort not noted: the report counts it as unknown");
  }
}

/** The order, with the rules of its refinements (src/domain/order.ts) that JSON Schema has no word for. */
const Order = orderSchema.meta({
  id: 'Order',
  ...xRules(
    {
      rule: 'phone-number',
      path: 'phone',
      description: "A number that exists in its country's numbering plan (libphonenumber), written exactly as E.164",
    },
    {
      rule: 'required-when-contains',
      path: 'phone',
      when: { path: 'channels', contains: 'sms' },
      description: 'phone is required when channels include "sms"',
    },
    { rule: 'unique-by', path: 'items', key: 'sku', description: 'Each sku at most once in items' },
    {
      rule: 'not-after',
      path: 'expectedDelivery.earliest',
      other: 'expectedDelivery.latest',
      description: 'The delivery window may not start after it ends',
    },
  ),
});
const JourneyStarted = journeyStartedSchema.meta({ id: 'JourneyStarted' });
const JourneyView = journeyViewSchema.meta({ id: 'JourneyView' });

export function declareOrderRoutes(api: ApiContract): void {
  api.route({
    method: 'post',
    path: '/v1/orders',
    tags: ['orders'],
    summary: "Start the order's journey",
    description:
      'Idempotent per order id: the same order again answers 200 with the same journey; other content under the same ' +
      'id is 409.',
    roles: ['checkout'],
    needs: ['temporal'],
    request: api.body(Order),
    responses: {
      201: api.json('The journey started', JourneyStarted),
      200: api.json('This order had started its journey already: the same journey', JourneyStarted),
      400: api.errors[400],
      409: api.error('order_conflict: this order id was submitted before with other content'),
      413: api.errors[413],
    },
  });

  api.route({
    method: 'get',
    path: '/v1/orders/{orderId}/journey',
    tags: ['orders'],
    summary: 'The journey: stage, shipments, timeline, messages and their delivery, next steps',
    roles: ['checkout', 'support'],
    needs: ['temporal', 'database'],
    journey: true,
    request: { params: orderIdParam },
    responses: {
      200: api.json(
        'The journey as its worker last published it. News the journey has not taken in yet (a worker is busy or ' +
          'restarting) is waited for up to 5 s, then answered without it',
        JourneyView,
      ),
      400: api.errors[400],
      404: api.error('order_not_found: no journey for this order'),
    },
  });
}
