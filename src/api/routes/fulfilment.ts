/** What fulfilment and the review platform report about an order: parcels, carrier updates, reviews. */
import { Router } from 'express';
import type { Config } from '../../config';
import type { JourneyService } from '../../journeys/journey-service';
import { requireRole } from '../auth';
import { parseOr400 } from '../errors';
import { journeyAction } from '../journey-errors';
import { reviewRequestSchema, shipmentRequestSchema, trackingEventRequestSchema } from '../requests';
import type { ApiContract } from '../openapi';
import { acceptedSchema, shipmentAddedSchema } from '../responses';
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

const ShipmentRequest = shipmentRequestSchema.meta({ id: 'ShipmentRequest' });
const ShipmentAdded = shipmentAddedSchema.meta({ id: 'ShipmentAdded' });
const TrackingEventRequest = trackingEventRequestSchema.meta({ id: 'TrackingEventRequest' });
const ReviewRequest = reviewRequestSchema.meta({ id: 'ReviewRequest' });
const Accepted = acceptedSchema.meta({ id: 'Accepted' });

export function declareFulfilmentRoutes(api: ApiContract): void {
  const journeyClosed = api.error(
    'journey_ended: the journey has ended or the order was cancelled; refused: the journey said no, and why',
  );
  const common = { tags: ['fulfilment'], roles: ['checkout' as const], journey: true };

  api.route({
    ...common,
    method: 'post',
    path: '/v1/orders/{orderId}/shipments',
    summary: 'Register a parcel of the order (or a return parcel, with its rmaId)',
    needs: ['temporal', 'database'],
    request: { params: orderIdParam, ...api.body(ShipmentRequest) },
    responses: {
      201: api.json('Registered', ShipmentAdded),
      200: api.json('This tracking number was registered before: the same shipment', ShipmentAdded),
      400: api.errors[400],
      404: api.error('order_not_found: no journey for this order'),
      409: journeyClosed,
      413: api.errors[413],
    },
  });

  api.route({
    ...common,
    method: 'post',
    path: '/v1/orders/{orderId}/tracking-events',
    summary: "A carrier update for one of the order's parcels",
    description:
      'Needs no worker: the parcel is checked in PostgreSQL and the journey is signalled (202), also while workers ' +
      'restart.',
    needs: ['temporal', 'database'],
    request: { params: orderIdParam, ...api.body(TrackingEventRequest) },
    responses: {
      202: api.json('Passed to the journey', Accepted),
      400: api.errors[400],
      404: api.error('order_not_found, or not_in_order: the order has no parcel with this tracking number'),
      409: journeyClosed,
      413: api.errors[413],
    },
  });

  api.route({
    ...common,
    method: 'post',
    path: '/v1/orders/{orderId}/reviews',
    summary: 'The review platform reports a review of an item of the order',
    description:
      "Needs no worker: the sku is checked against the order's items kept with the journey, and the journey is " +
      'signalled (202).',
    needs: ['temporal'],
    request: { params: orderIdParam, ...api.body(ReviewRequest) },
    responses: {
      202: api.json('Passed to the journey', Accepted),
      400: api.errors[400],
      404: api.error('order_not_found, or not_in_order: the item is not part of the order'),
      409: journeyClosed,
      413: api.errors[413],
    },
  });
}
