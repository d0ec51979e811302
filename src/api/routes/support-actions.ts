/** Support staff's actions on a journey: returns and cancellation, each answered with a clear yes (and its id) or no (and why). */
import { Router } from 'express';
import type { Config } from '../../config';
import type { JourneyService } from '../../journeys/journey-service';
import { requireRole } from '../auth';
import { parseOr400 } from '../errors';
import { journeyAction } from '../journey-errors';
import { cancelRequestSchema, returnRequestSchema } from '../requests';
import { orderIdParam } from './orders';

export function supportActionsRouter(config: Config, journeys: JourneyService): Router {
  const router = Router();
  const support = requireRole(config.apiKeys, 'support');

  router.post('/v1/orders/:orderId/returns', support, async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    const request = parseOr400(returnRequestSchema, req.body, 'return');
    const accepted = await journeyAction(journeys.requestReturn(orderId, request));
    res.status(201).json(accepted);
  });

  router.post('/v1/orders/:orderId/cancel', support, async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    const request = parseOr400(cancelRequestSchema, req.body, 'cancellation');
    const cancelled = await journeyAction(journeys.cancel(orderId, request));
    res.status(200).json({ status: 'cancelled', ...cancelled });
  });

  return router;
}
