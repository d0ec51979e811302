/**
 * `Idempotency-Key` on support's actions (returns, cancellation): a retried request gets the first one's answer and
 * never acts twice. Two layers:
 *   - Temporal: the key is the update id (`return:<key>`), and Temporal answers a repeated update id in a run from the
 *     first update (checked on the dev server: a repeat with other arguments gets the first result, even after the run
 *     closed). This alone makes a retry safe while the first request is still in flight or its answer was lost.
 *   - PostgreSQL (idempotency_keys): the body the key was first used with (same key + other body → 409
 *     idempotency_key_reused, which Temporal cannot tell), and the final answer, replayed as is to later retries.
 */
import { z } from 'zod';
import type { IdempotencyKeys, IdempotentAction, StoredAnswer } from '../db/idempotency-keys';
import { contentFingerprint } from '../journeys/fingerprint';
import { HttpError, parseOr400 } from './errors';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1–128 letters, digits or "._:-" (e.g. a UUID)')
  .describe(
    'Makes retries safe: the same key and body again → the same answer, once; the same key with another body → 409 idempotency_key_reused',
  );

export const idempotencyHeaders = z.object({ [IDEMPOTENCY_KEY_HEADER.toLowerCase()]: idempotencyKeySchema.optional() });

/** The request's Idempotency-Key, or undefined; 400 when malformed. */
export function idempotencyKeyOf(headers: Record<string, unknown>): string | undefined {
  const header = IDEMPOTENCY_KEY_HEADER.toLowerCase();
  const parsed = parseOr400(idempotencyHeaders, { [header]: headers[header] }, `${IDEMPOTENCY_KEY_HEADER} header`);
  return parsed[header];
}

/** Answers that are final for a key: success, and the journey's own refusal (it said no to exactly this request). */
const isFinal = (answer: StoredAnswer) =>
  (answer.status >= 200 && answer.status < 300) ||
  (answer.status === 409 && (answer.body as { error?: { code?: string } })?.error?.code === 'refused');

/**
 * Runs `act` at most once per key and body (with the store; without it, Temporal's dedupe alone). `act` returns the
 * answer or throws an HttpError; final answers are kept and replayed. Temporary failures (503, 500) are not kept: a
 * retry asks Temporal again under the same update id.
 */
export async function idempotent(
  store: IdempotencyKeys | undefined,
  ref: { orderId: string; action: IdempotentAction; key: string | undefined },
  body: unknown,
  act: () => Promise<StoredAnswer>,
): Promise<StoredAnswer & { replayed: boolean }> {
  const { key } = ref;
  if (!store || key === undefined) return { ...(await act()), replayed: false };
  const keyRef = { ...ref, key };
  const claim = await store.claim(keyRef, contentFingerprint(body));
  if (claim.kind === 'reused') {
    throw new HttpError(
      409,
      'idempotency_key_reused',
      `${IDEMPOTENCY_KEY_HEADER} "${key}" was used before with a different request for this order; use a new key for a new request`,
      {
        idempotencyKey: key,
      },
    );
  }
  if (claim.kind === 'answered') return { ...claim.answer, replayed: true };

  let answer: StoredAnswer;
  try {
    answer = await act();
  } catch (err) {
    if (err instanceof HttpError && err.status === 409 && err.code === 'refused') {
      await store.answer(keyRef, {
        status: err.status,
        body: { error: { code: err.code, message: err.message, details: err.details ?? null } },
      });
    }
    throw err;
  }
  if (isFinal(answer)) await store.answer(keyRef, answer);
  return { ...answer, replayed: false };
}
