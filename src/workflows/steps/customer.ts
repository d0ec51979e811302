/**
 * The order tells the customer's own workflow about itself (`customer-<customerId>`: birthday, anniversary, win-back,
 * loyalty tiers), right after the confirmation. Through an activity (signal-with-start: the first order starts it),
 * running beside the journey's steps; nothing about it can fail or hold up the order's journey: a failure is recorded
 * in its timeline and the journey goes on.
 */
import { isCancellation } from '@temporalio/workflow';
import { parseBirthDate, PRODUCTION_LIFECYCLE } from '../../domain/lifecycle';
import { customerNotices } from '../activity-stubs';
import type { CustomerOrderPlaced } from '../definitions';
import type { Journey } from '../journey';
import { failureReason } from '../send';
import { zonesOf } from '../zones';

export async function tellCustomer(journey: Journey): Promise<void> {
  const { order, policy } = journey;
  const placed: CustomerOrderPlaced = {
    orderId: order.orderId,
    placedAt: order.placedAt,
    total: order.total,
    currency: order.currency,
    categories: [...new Set(order.items.flatMap((i) => (i.category ? [i.category.toLowerCase()] : [])))],
    skus: order.items.map((i) => i.sku),
    ...birthDateOf(order.birthDate),
    contact: {
      email: order.email,
      ...(order.phone ? { phone: order.phone } : {}),
      ...(order.name ? { name: order.name } : {}),
      locale: order.locale,
      ...(order.timeZone ? { timeZone: order.timeZone } : {}),
      channels: order.channels,
      zones: zonesOf(order, journey.input.zones),
      marketingConsent: order.marketingConsent === true,
    },
    policy: {
      name: policy.name,
      secondsPerDay: policy.secondsPerDay,
      secondsPerRetryHour: policy.secondsPerRetryHour,
      // Journeys started before lifecycle settings existed carry none: the production defaults apply.
      lifecycle: policy.lifecycle ?? PRODUCTION_LIFECYCLE,
    },
  };
  try {
    await customerNotices.tellCustomerAboutOrder.executeWithOptions(
      { summary: "tell the customer's lifecycle workflow about this order" },
      [{ customerId: order.customerId, ...placed }],
    );
  } catch (err) {
    if (isCancellation(err)) throw err;
    journey.record(`the customer's lifecycle workflow could not be told of this order: ${failureReason(err)}`);
  }
}

/** The order's birth date as the customer workflow keeps it (checked by the order's schema already). */
function birthDateOf(text: string | undefined): Pick<CustomerOrderPlaced, 'birthDate'> {
  const parsed = text === undefined ? undefined : parseBirthDate(text);
  return parsed === undefined || typeof parsed === 'string' ? {} : { birthDate: parsed };
}
