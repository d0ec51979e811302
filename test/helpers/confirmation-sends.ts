/** A fresh order's confirmation as the journey hands it to the send activity, by email or by SMS. */
import type { SendCustomerMessageInput } from '../../src/activities/notify';
import type { Channel } from '../../src/domain/order';
import { orderSchema } from '../../src/domain/order';
import { anOrder } from './fixtures';

export function aConfirmationToSend(channel: Channel): SendCustomerMessageInput {
  const order = orderSchema.parse(anOrder());
  return {
    journeyId: `order-${order.orderId}`,
    orderId: order.orderId,
    step: 'confirmation',
    channel,
    to: channel === 'email' ? order.email : order.phone!,
    message: {
      messageType: 'confirmation',
      data: { order, deliveryWindow: { earliest: '2026-11-25', latest: '2026-11-27' } },
    },
  };
}
