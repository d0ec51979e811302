/** How the journey service's refusals and faults read over HTTP. */
import {
  JourneyEndedError,
  JourneyFailedError,
  JourneyNotFoundError,
  JourneyRefusedError,
  JourneyUnavailableError,
  NotInOrderError,
  OrderConflictError,
} from '../journeys/journey-errors';
import { HttpError } from './errors';

export function asHttpError(err: unknown): unknown {
  if (err instanceof JourneyNotFoundError) return new HttpError(404, 'order_not_found', err.message);
  if (err instanceof NotInOrderError) return new HttpError(404, 'not_in_order', err.message);
  if (err instanceof JourneyEndedError) return new HttpError(409, 'journey_ended', err.message, { stage: err.stage });
  if (err instanceof JourneyRefusedError) return new HttpError(409, 'refused', err.message);
  if (err instanceof OrderConflictError) {
    return new HttpError(409, 'order_conflict', `${err.message}; an order id starts one journey only`, {
      orderId: err.orderId,
    });
  }
  if (err instanceof JourneyUnavailableError) {
    return new HttpError(
      503,
      'journey_unavailable',
      err.message,
      { reason: err.reason, detail: err.detail },
      err.retryAfterSeconds,
    );
  }
  if (err instanceof JourneyFailedError) {
    // The error handler adds the request id and logs it: a failed journey needs a person.
    return new HttpError(500, 'journey_failed', err.message, { status: err.status });
  }
  return err;
}

/** Awaits a journey action, rethrowing its refusals and faults as HTTP errors. */
export async function journeyAction<T>(action: Promise<T>): Promise<T> {
  try {
    return await action;
  } catch (err) {
    throw asHttpError(err);
  }
}
