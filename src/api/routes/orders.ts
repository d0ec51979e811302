/** Orders from checkout: start a journey (idempotently) and read it back. */
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { orderSchema } from '../../domain/order';
import { JourneyNotFoundError, OrderConflictError, type JourneyService } from '../../journeys/journey-service';
import { requireRole } from '../auth';
import { HttpError, parseOr400 } from '../errors';

const orderIdParam = z.object({ orderId: orderSchema.shape.orderId });

export function ordersRouter(config: Config, journeys: JourneyService): Router {
  const router = Router();

  router.post('/v1/orders', requireRole(config.apiKeys, 'checkout'), async (req, res) => {
    const order = parseOr400(orderSchema, req.body, 'order');
    try {
      const started = await journeys.start(order);
      res.status(started.created ? 201 : 200).json({ workflowId: started.workflowId, runId: started.runId });
    } catch (err) {
      if (err instanceof OrderConflictError) {
        throw new HttpError(409, 'order_conflict', `${err.message}; an order id starts one journey only`, { orderId: err.orderId });
      }
      throw err;
    }
  });

  router.get('/v1/orders/:orderId/journey', requireRole(config.apiKeys, 'checkout', 'support'), async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    try {
      res.json(await journeys.view(orderId));
    } catch (err) {
      if (err instanceof JourneyNotFoundError) throw new HttpError(404, 'order_not_found', err.message);
      throw err;
    }
  });

  return router;
}
