/**
 * What can go wrong when acting on a journey, in the service's words (the API turns each into an HTTP answer in
 * src/api/journey-errors.ts). Temporal's own errors are translated in temporal-faults.ts.
 */

export class OrderConflictError extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} was already submitted with different content`);
  }
}

export class JourneyNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`no journey for order ${orderId}`);
  }
}

/** The journey has completed (or the order was cancelled): it takes no more actions. */
export class JourneyEndedError extends Error {
  constructor(
    readonly orderId: string,
    readonly stage: string,
  ) {
    super(
      stage === 'cancelled' ? `order ${orderId} was cancelled` : `the journey of order ${orderId} has ended (${stage})`,
    );
  }
}

/**
 * The journey's workflow failed, was terminated or timed out: our failure, not the caller's (a 500 with the request
 * id).
 */
export class JourneyFailedError extends Error {
  constructor(
    readonly orderId: string,
    /** Temporal's execution status: FAILED, TERMINATED, TIMED_OUT. */
    readonly status: string,
  ) {
    super(`the journey of order ${orderId} stopped abnormally (${status}); support has to look into it`);
  }
}

/** The journey refused the request (its validator or handler said why). */
export class JourneyRefusedError extends Error {}

/** The request names something the order does not have (a parcel, an item). */
export class NotInOrderError extends Error {}

export type UnavailableReason =
  /** The journey's workflow task fails on every attempt (e.g. a nondeterminism error): it needs an operator. */
  | 'workflow_task_failing'
  /** No worker answered in time: workers down, restarting or overloaded. The request may still take effect later. */
  | 'no_timely_answer'
  /** Temporal itself did not answer. */
  | 'temporal_unreachable';

/** The journey cannot answer now; the request is worth retrying later (with the same Idempotency-Key, for actions). */
export class JourneyUnavailableError extends Error {
  constructor(
    readonly orderId: string,
    readonly reason: UnavailableReason,
    /** What is known about it, for support: e.g. the failing task's cause and error message. No personal data. */
    readonly detail: string,
    readonly retryAfterSeconds: number,
    /** What cannot answer, in the message: the order's journey unless said otherwise (a customer's workflow). */
    what = `the journey of order ${orderId}`,
  ) {
    super(`${what} cannot answer now: ${detail}`);
  }
}
