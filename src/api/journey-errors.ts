/** How the journey service's refusals read over HTTP. */
import {
  JourneyEndedError,
  JourneyNotFoundError,
  JourneyRefusedError,
  NotInOrderError,
  OrderConflictError,
} from '../journeys/journey-service';
import { HttpError } from './errors';

export function asHttpError(err: unknown): unknown {
  if (err instanceof JourneyNotFoundError) return new HttpError(404, 'order_not_found', err.message);
  if (err instanceof NotInOrderError) return new HttpError(404, 'not_in_order', err.message);
  if (err instanceof JourneyEndedError) return new HttpError(409, 'journey_ended', err.message, { stage: err.stage });
  if (err instanceof JourneyRefusedError) return new HttpError(409, 'refused', err.message);
  if (err instanceof OrderConflictError) {
    return new HttpError(409, 'order_conflict', `${err.message}; an order id starts one journey only`, { orderId: err.orderId });
  }
  return err;
}

/** Awaits a journey action, rethrowing its refusals as HTTP errors. */
export async function journeyAction<T>(action: Promise<T>): Promise<T> {
  try {
    return await action;
  } catch (err) {
    throw asHttpError(err);
  }
}
