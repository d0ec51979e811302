/** Orders from checkout: start a journey (idempotently) and read it back. */
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { orderSchema } from '../../domain/order';
import type { JourneyService } from '../../journeys/journey-service';
import { requireRole } from '../auth';
import { parseOr400 } from '../errors';
import { journeyAction } from '../journey-errors';

export const orderIdParam = z.object({ orderId: orderSchema.shape.orderId });

export function ordersRouter(config: Config, journeys: JourneyService): Router {
  const router = Router();

  router.post('/v1/orders', requireRole(config.apiKeys, 'checkout'), async (req, res) => {
    const order = parseOr400(orderSchema, req.body, 'order');
    const started = await journeyAction(journeys.start(order, { requestId: String(req.id) }));
    res.status(started.created ? 201 : 200).json({ workflowId: started.workflowId, runId: started.runId });
  });

  router.get('/v1/orders/:orderId/journey', requireRole(config.apiKeys, 'checkout', 'support'), async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    res.json(await journeyAction(journeys.view(orderId)));
  });

  return router;
}
