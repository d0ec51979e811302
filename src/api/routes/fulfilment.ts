/** What fulfilment and the review platform report about an order: parcels, carrier updates, reviews. */
import { Router } from 'express';
import type { Config } from '../../config';
import type { JourneyService } from '../../journeys/journey-service';
import { requireRole } from '../auth';
import { parseOr400 } from '../errors';
import { journeyAction } from '../journey-errors';
import { reviewRequestSchema, shipmentRequestSchema, trackingEventRequestSchema } from '../requests';
import { orderIdParam } from './orders';

export function fulfilmentRouter(config: Config, journeys: JourneyService): Router {
  const router = Router();
  const checkout = requireRole(config.apiKeys, 'checkout');

  router.post('/v1/orders/:orderId/shipments', checkout, async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    const shipment = parseOr400(shipmentRequestSchema, req.body, 'shipment');
    const added = await journeyAction(journeys.addShipment(orderId, shipment));
    res.status(added.created ? 201 : 200).json(added);
  });

  router.post('/v1/orders/:orderId/tracking-events', checkout, async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    const event = parseOr400(trackingEventRequestSchema, req.body, 'tracking event');
    await journeyAction(journeys.reportTracking(orderId, event));
    res.status(202).json({ accepted: true });
  });

  router.post('/v1/orders/:orderId/reviews', checkout, async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    const review = parseOr400(reviewRequestSchema, req.body, 'review');
    await journeyAction(journeys.submitReview(orderId, review));
    res.status(202).json({ accepted: true });
  });

  return router;
}
