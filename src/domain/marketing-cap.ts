/**
 * The frequency cap: at most one marketing message per customer in any 24 hours, across all their journeys. A message
 * that would come too close to another is deferred, never dropped.
 *
 * Pure: given the slots already reserved for the customer, the earliest moment a new message may go. The reservation
 * itself (atomic per customer) is in src/db/marketing-slots.ts.
 */
export const MARKETING_SPACING_MS = 24 * 3_600_000;

/**
 * The first instant at or after `earliest` that is at least `spacingMs` away from every reserved slot (after the ones
 * before it, and before the ones after it) and that `fit` accepts as is — `fit` moves a time forward into the
 * customer's quiet-hours window. Both rules move the time only forward, so alternating them until neither moves it
 * finds the first instant that satisfies both.
 */
export function firstFreeSlot(
  earliest: Date,
  reserved: readonly Date[],
  spacingMs: number,
  fit: (at: Date) => Date = (at) => at,
): Date {
  const taken = reserved.map((d) => d.getTime()).sort((a, b) => a - b);
  let at = earliest.getTime();
  // Each round moves `at` past one reserved slot or into a window, so the number of rounds is bounded.
  for (let round = 0; round < 4 * taken.length + 16; round++) {
    const clash = taken.find((slot) => Math.abs(slot - at) < spacingMs);
    if (clash !== undefined) {
      at = clash + spacingMs;
      continue;
    }
    const fitted = fit(new Date(at)).getTime();
    if (fitted > at) {
      at = fitted;
      continue;
    }
    return new Date(at);
  }
  throw new Error('no free marketing slot found'); // unreachable with a `fit` that only moves forward to a window
}
