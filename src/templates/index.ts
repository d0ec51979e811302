/** Renders a customer message for one channel. */
import { renderConfirmationEmail, renderConfirmationSms } from './confirmation';
import { emailParts, smsText } from './journey-messages';
import { layoutEmail } from './layout';
import type { CustomerMessage, RenderedEmail, ShopDetails } from './types';

export function renderEmail(message: CustomerMessage, shop: ShopDetails): RenderedEmail {
  if (message.messageType === 'confirmation') return renderConfirmationEmail(message.data, shop);
  return layoutEmail(message.data.order, emailParts(message, shop), shop);
}

export function renderSms(message: CustomerMessage, shop: ShopDetails): string {
  if (message.messageType === 'confirmation') return renderConfirmationSms(message.data, shop);
  return smsText(message, shop);
}

export type { CustomerMessage, MessageType, ConfirmationData, RenderedEmail, ShopDetails } from './types';
