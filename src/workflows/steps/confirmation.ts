/**
 * Step 1 — confirmation, at once: thanks, receipt, expected delivery window, support contact, related products.
 * The email always goes (it is the receipt); an SMS too when the customer has a phone and chose SMS.
 */
import { workflowInfo } from '@temporalio/workflow';
import { messaging } from '../activities';
import type { Journey } from '../journey';
import type { Channel } from '../../domain/order';

export async function sendConfirmation(journey: Journey): Promise<void> {
  const { order } = journey.input;
  const data = {
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
  };
  const recipients: [Channel, string][] = [['email', order.email]];
  if (order.channels.includes('sms') && order.phone) recipients.push(['sms', order.phone]);

  const outcomes = await Promise.all(
    recipients.map(([channel, to]) =>
      messaging.sendCustomerMessage.executeWithOptions({ summary: `send confirmation ${channel}` }, [
        {
          journeyId: workflowInfo().workflowId,
          orderId: order.orderId,
          step: 'confirmation',
          channel,
          to,
          message: { messageType: 'confirmation', data },
        },
      ]),
    ),
  );
  outcomes.forEach((outcome) => journey.recordMessage(outcome));
}
