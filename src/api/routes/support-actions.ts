/**
 * Support staff's actions on a journey: returns and cancellation, each answered with a clear yes (and its id) or no
 * (and why). Both take an optional Idempotency-Key header, so support tools can retry them safely
 * (src/api/idempotency.ts).
 */
import { Router, type Response } from 'express';
import type { Config } from '../../config';
import type { IdempotencyKeys, StoredAnswer } from '../../db/idempotency-keys';
import type { JourneyService } from '../../journeys/journey-service';
import { requireRole } from '../auth';
import { parseOr400 } from '../errors';
import { IDEMPOTENCY_KEY_HEADER, idempotencyHeaders, idempotencyKeyOf, idempotent } from '../idempotency';
import { journeyAction } from '../journey-errors';
import { cancelRequestSchema, returnRequestSchema } from '../requests';
import type { ApiContract } from '../openapi';
import { orderCancelledSchema, returnAcceptedSchema } from '../responses';
import { orderIdParam } from './orders';

/**
 * `idempotencyKeys`: where keys and answers are kept; without it a key still dedupes through Temporal, but a key
 * reused for another body goes unnoticed.
 */
export function supportActionsRouter(
  config: Config,
  journeys: JourneyService,
  idempotencyKeys?: IdempotencyKeys,
): Router {
  const router = Router();
  const support = requireRole(config.apiKeys, 'support');

  router.post('/v1/orders/:orderId/returns', support, async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    const request = parseOr400(returnRequestSchema, req.body, 'return');
    const idempotencyKey = idempotencyKeyOf(req.headers);
    const answer = await idempotent(
      idempotencyKeys,
      { orderId, action: 'return', key: idempotencyKey },
      request,
      async () => ({
        status: 201,
        body: await journeyAction(journeys.requestReturn(orderId, request, { idempotencyKey })),
      }),
    );
    send(res, answer);
  });

  router.post('/v1/orders/:orderId/cancel', support, async (req, res) => {
    const { orderId } = parseOr400(orderIdParam, req.params, 'order id');
    const request = parseOr400(cancelRequestSchema, req.body, 'cancellation');
    const idempotencyKey = idempotencyKeyOf(req.headers);
    const answer = await idempotent(
      idempotencyKeys,
      { orderId, action: 'cancel', key: idempotencyKey },
      request,
      async () => ({
        status: 200,
        body: { status: 'cancelled', ...(await journeyAction(journeys.cancel(orderId, request, { idempotencyKey }))) },
      }),
    );
    send(res, answer);
  });

  return router;
}

/** A replayed answer says so (`Idempotency-Replayed: true`), as payment APIs do. */
function send(res: Response, answer: StoredAnswer & { replayed: boolean }): void {
  if (answer.replayed) res.set('Idempotency-Replayed', 'true');
  res.status(answer.status).json(answer.body);
}

const ReturnRequest = returnRequestSchema.meta({ id: 'ReturnRequest' });
const ReturnAccepted = returnAcceptedSchema.meta({ id: 'ReturnAccepted' });
const CancelRequest = cancelRequestSchema.meta({ id: 'CancelRequest' });
const OrderCancelled = orderCancelledSchema.meta({ id: 'OrderCancelled' });

export function declareSupportActionRoutes(api: ApiContract): void {
  const idempotencyNote =
    `Safe to retry with an \`${IDEMPOTENCY_KEY_HEADER}\` header (e.g. a UUID per support action): the same key and ` +
    'body again get the first answer (the same RMA id / status code, with `Idempotency-Replayed: true`) and act ' +
    'once; the same key with another body is 409 idempotency_key_reused. After a 503 (no answer in time) the action ' +
    'may still take effect: retry with the same key.';
  const replayed = {
    'Idempotency-Replayed': {
      description: '"true" when this is the stored answer to an earlier request with the same Idempotency-Key',
      schema: { type: 'string' as const },
    },
  };
  const common = {
    tags: ['support'],
    description: idempotencyNote,
    roles: ['support' as const],
    needs: ['temporal' as const, 'database' as const],
    journey: true,
  };

  api.route({
    ...common,
    method: 'post',
    path: '/v1/orders/{orderId}/returns',
    summary: 'Open a return (within the return window, for delivered items)',
    request: { params: orderIdParam, headers: idempotencyHeaders, ...api.body(ReturnRequest) },
    responses: {
      201: { ...api.json('Accepted: the RMA id', ReturnAccepted), headers: replayed },
      400: api.errors[400],
      404: api.error('order_not_found: no journey for this order'),
      409: api.error(
        'refused (with the reason, e.g. "the order has not been delivered yet"; under an Idempotency-Key it stays ' +
          'the answer), journey_ended, or idempotency_key_reused (the key was used with another body)',
      ),
      413: api.errors[413],
    },
  });

  api.route({
    ...common,
    method: 'post',
    path: '/v1/orders/{orderId}/cancel',
    summary: 'Cancel the order (only before anything has shipped)',
    request: { params: orderIdParam, headers: idempotencyHeaders, ...api.body(CancelRequest) },
    responses: {
      200: { ...api.json('Cancelled', OrderCancelled), headers: replayed },
      400: api.errors[400],
      404: api.error('order_not_found: no journey for this order'),
      409: api.error(
        'refused ("already shipped; start a return"; under an Idempotency-Key it stays the answer), journey_ended, ' +
          'or idempotency_key_reused (the key was used with another body)',
      ),
      413: api.errors[413],
    },
  });
}
