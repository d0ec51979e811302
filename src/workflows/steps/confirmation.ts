/**
 * Step 1 — confirmation, at once: thanks, receipt, expected delivery window, support contact, related products.
 * The email always goes (it is the receipt); an SMS too when the customer has a phone and chose SMS.
 */
import type { Channel } from '../../domain/order';
import type { Journey } from '../journey';
import { sendToCustomer } from '../send';

export async function sendConfirmation(journey: Journey): Promise<void> {
  const { order } = journey;
  const recipients: [Channel, string][] = [['email', order.email]];
  if (order.channels.includes('sms') && order.phone) recipients.push(['sms', order.phone]);
  await sendToCustomer(
    journey,
    'confirmation',
    {
      messageType: 'confirmation',
      data: {
        order: {
          orderId: order.orderId,
          name: order.name,
          locale: order.locale,
          items: order.items,
          currency: order.currency,
          total: order.total,
          relatedProducts: order.relatedProducts,
        },
        deliveryWindow: journey.view.expectedDelivery,
      },
    },
    { channels: recipients },
  );
}
