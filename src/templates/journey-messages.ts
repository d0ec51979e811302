/**
 * Copy for every journey message after the confirmation: the email's parts and the SMS text.
 * (English for now; localized templates replace these without changing the message data.)
 */
import type { EmailParts } from './layout';
import type { CustomerMessage, ItemRef, ParcelData, ShopDetails } from './types';

type Message<T extends CustomerMessage['messageType']> = Extract<CustomerMessage, { messageType: T }>;
type AfterConfirmation = Exclude<CustomerMessage, { messageType: 'confirmation' }>;

const itemLine = (i: ItemRef) => (i.quantity && i.quantity > 1 ? `${i.quantity} × ${i.name}` : i.name);
const trackingLink = (d: ParcelData) => (d.trackingUrl ? { label: `Track parcel ${d.trackingNumber}`, url: d.trackingUrl } : undefined);
const shopLink = (shop: ShopDetails, path: string) => `${(shop.url ?? 'https://shop.example').replace(/\/$/, '')}${path}`;

const PROBLEM_TEXT: Record<Message<'delivery_problem'>['data']['status'], string> = {
  attempt_failed: 'The carrier tried to deliver your parcel but could not.',
  exception: 'The carrier reports a problem with your parcel.',
  returned_to_sender: 'The carrier is sending your parcel back to us.',
};

export function emailParts(message: AfterConfirmation, shop: ShopDetails): EmailParts {
  const { orderId } = message.data.order;
  switch (message.messageType) {
    case 'shipped':
      return {
        subject: `Your order ${orderId} is on its way`,
        paragraphs: [`Good news: a parcel with your order has left us with ${message.data.carrier.toUpperCase()} (tracking number ${message.data.trackingNumber}).`],
        list: message.data.items.map(itemLine),
        link: trackingLink(message.data),
      };
    case 'out_for_delivery':
      return { subject: `Your order ${orderId} arrives today`, paragraphs: ['Your parcel is out for delivery today.'], link: trackingLink(message.data) };
    case 'ready_for_pickup':
      return { subject: `Your order ${orderId} is ready for pickup`, paragraphs: ['Your parcel is waiting for you at the pickup point.'], link: trackingLink(message.data) };
    case 'delivered':
      return { subject: `Your order ${orderId} has arrived`, paragraphs: ['Your parcel has been delivered. We hope you enjoy it!'], list: message.data.items.map(itemLine) };
    case 'delivery_problem':
      return {
        subject: `A problem with the delivery of order ${orderId}`,
        paragraphs: [PROBLEM_TEXT[message.data.status], 'Our support team has been told and will help; you do not need to do anything yet.'],
        link: trackingLink(message.data),
      };
    case 'tracking_stalled':
      return {
        subject: `We are checking on your order ${orderId}`,
        paragraphs: ['Your parcel has not moved for a while, so we are checking with the carrier. We will be in touch.'],
        link: trackingLink(message.data),
      };
    case 'unboxing_tips':
      return {
        subject: `Getting the most out of your order ${orderId}`,
        paragraphs: ['A few tips for the things you bought:'],
        list: message.data.items.map((i) => `${i.name}: ${careTip(i)}`),
      };
    case 'review_request':
    case 'review_reminder':
      return {
        subject: message.messageType === 'review_request' ? `How do you like your order ${orderId}?` : `A quick reminder: how was order ${orderId}?`,
        paragraphs: ['Your honest review, good or bad, helps other customers choose. It takes a minute.'],
        list: message.data.items.map((i) => i.name),
        link: { label: 'Write a review', url: shopLink(shop, `/reviews/new?order=${encodeURIComponent(orderId)}`) },
      };
    case 'bad_review_apology':
      return {
        subject: `We are sorry about order ${orderId}`,
        paragraphs: [`Thank you for your review of ${message.data.items.map((i) => i.name).join(', ')}. We are sorry it did not meet your expectations.`, 'Someone from our support team will be in touch with you shortly.'],
      };
    case 'replenishment_reminder':
      return {
        subject: `Time to restock ${message.data.item.name}?`,
        paragraphs: [`It has been a while since you bought ${message.data.item.name}. Running low?`],
        link: { label: 'Reorder', url: shopLink(shop, `/reorder?sku=${encodeURIComponent(message.data.item.sku)}`) },
      };
    case 'return_accepted':
      return {
        subject: `Your return ${message.data.rmaId} for order ${orderId}`,
        paragraphs: [`We have accepted your return ${message.data.rmaId}.`, `Pack the items, write ${message.data.rmaId} on the parcel and send it back with the return label. We will confirm your refund when it arrives.`],
        list: message.data.items.map(itemLine),
      };
    case 'refund_confirmed':
      return {
        subject: `Refund for return ${message.data.rmaId} confirmed`,
        paragraphs: [`Your returned parcel (${message.data.rmaId}) has arrived and your refund is on its way.`],
        list: message.data.items.map(itemLine),
      };
    case 'cancellation':
      return { subject: `Order ${orderId} has been cancelled`, paragraphs: [`Your order ${orderId} has been cancelled. If you paid already, the full amount will be refunded.`] };
  }
}

export function smsText(message: AfterConfirmation, shop: ShopDetails): string {
  const { orderId } = message.data.order;
  const link = 'trackingUrl' in message.data && message.data.trackingUrl ? ` ${message.data.trackingUrl}` : '';
  switch (message.messageType) {
    case 'shipped':
      return `${shop.name}: order ${orderId} has shipped.${link}`;
    case 'out_for_delivery':
      return `${shop.name}: order ${orderId} is out for delivery today.${link}`;
    case 'ready_for_pickup':
      return `${shop.name}: order ${orderId} is ready at the pickup point.${link}`;
    case 'delivered':
      return `${shop.name}: order ${orderId} has been delivered. Enjoy!`;
    case 'delivery_problem':
      return `${shop.name}: a delivery problem with order ${orderId}. Our support team is on it.${link}`;
    case 'tracking_stalled':
      return `${shop.name}: order ${orderId} has not moved for a while; we are checking with the carrier.`;
    case 'unboxing_tips':
      return `${shop.name}: tips for your order ${orderId} are in your inbox.`;
    case 'review_request':
    case 'review_reminder':
      return `${shop.name}: how was order ${orderId}? Review it: ${shopLink(shop, `/reviews/new?order=${encodeURIComponent(orderId)}`)}`;
    case 'bad_review_apology':
      return `${shop.name}: sorry about order ${orderId}. Our support team will contact you shortly.`;
    case 'replenishment_reminder':
      return `${shop.name}: time to restock ${message.data.item.name}? ${shopLink(shop, `/reorder?sku=${encodeURIComponent(message.data.item.sku)}`)}`;
    case 'return_accepted':
      return `${shop.name}: return ${message.data.rmaId} for order ${orderId} accepted. Instructions are in your email.`;
    case 'refund_confirmed':
      return `${shop.name}: return ${message.data.rmaId} received; your refund is on its way.`;
    case 'cancellation':
      return `${shop.name}: order ${orderId} has been cancelled.`;
  }
}

const CARE_TIPS: Record<string, string> = {
  cosmetics: 'store it cool and away from sunlight, and use it within the period printed on the pack.',
  industrial: 'read the safety sheet before first use and keep it with the equipment.',
};

function careTip(item: ItemRef): string {
  return CARE_TIPS[item.category?.toLowerCase() ?? ''] ?? 'see the care label for how to keep it like new.';
}
