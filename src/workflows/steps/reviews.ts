/**
 * Step 4 — the review request, at the policy delay after delivery (7–15 days), and one reminder unless a review has
 * come in. Only items the customer kept and has not reviewed yet are asked about; nothing is sent when none are left.
 * Reviews arrive as signals at any time; a rating of 2 or less goes to support and the customer gets an apology.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { dueAfterDays } from '../../domain/durations';
import { isoNow as now, msUntil } from '../clock';
import { reviewSubmittedSignal } from '../definitions';
import type { Journey } from '../journey';
import { itemRefs, orderRef, sendToCustomer } from '../send';
import { escalate } from './escalations';

const BAD_RATING = 2;

export function registerReviewHandler(journey: Journey): void {
  setHandler(reviewSubmittedSignal, (review) => {
    if (!journey.order.items.some((i) => i.sku === review.sku)) {
      journey.record(`review for ${review.sku}, which is not in this order, ignored`);
      return;
    }
    if (journey.view.reviews.some((r) => r.sku === review.sku)) return; // one review per item; repeats are ignored
    journey.addReview({ sku: review.sku, rating: review.rating, at: now() });
    journey.record(`review received for ${review.sku}: ${review.rating}/5`);
    if (review.rating <= BAD_RATING) journey.queueBadReview(review);
  });
}

/** Runs for the whole journey: a bad review is escalated whenever it arrives. Stops between answers at a handover. */
export async function respondToBadReviews(journey: Journey): Promise<void> {
  const queue = journey.badReviews;
  while (!journey.finished || queue.length) {
    await condition(() => queue.length > 0 || journey.finished || journey.handingOver);
    if (journey.handingOver) return;
    const review = queue.shift();
    if (!review) continue;
    await escalate(journey, `review:${review.sku}`, 'bad_review', `Review of ${review.sku} rated ${review.rating}/5`);
    await sendToCustomer(journey, `review:${review.sku}:apology`, {
      messageType: 'bad_review_apology',
      data: { order: orderRef(journey), items: itemRefs(journey, [{ sku: review.sku }]) },
    });
  }
}

/** Items worth asking about: kept, and not reviewed yet. */
function itemsToAskAbout(journey: Journey) {
  const reviewed = new Set(journey.view.reviews.map((r) => r.sku));
  return journey.keptItems().filter((i) => !reviewed.has(i.sku));
}

/**
 * The request, then the reminder. Returns early when the run hands over while waiting for either: the next run takes up
 * the same step at the same due time (a request already sent is never asked again; only its reminder wait remains).
 */
export async function requestReview(journey: Journey): Promise<void> {
  const { policy } = journey;
  if (!journey.done('review-request')) {
    const requestAt = dueAfterDays(journey.view.deliveredAt!, policy, policy.reviewRequestDelayDays);
    journey.planStep('review-request', 'ask for a review', requestAt);
    if (
      await journey.sleepUntilOrHandOver(
        requestAt,
        `review request ${policy.reviewRequestDelayDays} days after delivery`,
      )
    )
      return;
    journey.unplan('review-request');

    const items = itemsToAskAbout(journey);
    if (!items.length) {
      journey.record('review request skipped: every item was returned or already reviewed');
      journey.markDone('review-request');
      journey.markDone('review-reminder');
      return;
    }
    await sendToCustomer(
      journey,
      'review-request',
      { messageType: 'review_request', data: { order: orderRef(journey), items: itemRefs(journey, items) } },
      { stillWanted: () => itemsToAskAbout(journey).length > 0 }, // it may wait for quiet hours or the frequency cap
    );
    journey.enterStage('awaiting_review');
    journey.reviewReminder = {
      dueAt: dueAfterDays(now(), policy, policy.reviewReminderDelayDays),
      reviewsBefore: journey.view.reviews.length,
    };
    journey.markDone('review-request');
  }
  if (journey.done('review-reminder')) return;

  const { dueAt: remindAt, reviewsBefore } = journey.reviewReminder!;
  journey.planStep('review-reminder', 'remind about the review (unless one arrives)', remindAt);
  const waitMs = msUntil(remindAt);
  // (A resumed run may find the reminder due already: no timer then.)
  const woken =
    waitMs > 0 &&
    (await condition(() => journey.view.reviews.length > reviewsBefore || journey.timeToHandOver(), waitMs, {
      summary: `review reminder in ${policy.reviewReminderDelayDays} days unless reviewed`,
    }));
  const reviewed = woken && journey.view.reviews.length > reviewsBefore;
  if (woken && !reviewed) return; // woken by the handover: the next run waits for the reminder
  journey.unplan('review-reminder');
  const stillToReview = itemsToAskAbout(journey);
  if (reviewed || !stillToReview.length) {
    journey.record('review reminder not needed');
    journey.markDone('review-reminder');
    return;
  }
  await sendToCustomer(
    journey,
    'review-reminder',
    { messageType: 'review_reminder', data: { order: orderRef(journey), items: itemRefs(journey, stillToReview) } },
    { stillWanted: () => journey.view.reviews.length === reviewsBefore && itemsToAskAbout(journey).length > 0 },
  );
  journey.markDone('review-reminder');
}
