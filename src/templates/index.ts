/** Renders a customer message for one channel. Each message type has its renderers here. */
import { renderConfirmationEmail, renderConfirmationSms } from './confirmation';
import type { ConfirmationData, RenderedEmail, ShopDetails } from './types';

export type CustomerMessage = { messageType: 'confirmation'; data: ConfirmationData };
export type MessageType = CustomerMessage['messageType'];

export function renderEmail(message: CustomerMessage, shop: ShopDetails): RenderedEmail {
  switch (message.messageType) {
    case 'confirmation':
      return renderConfirmationEmail(message.data, shop);
  }
}

export function renderSms(message: CustomerMessage, shop: ShopDetails): string {
  switch (message.messageType) {
    case 'confirmation':
      return renderConfirmationSms(message.data, shop);
  }
}

export type { ConfirmationData, RenderedEmail, ShopDetails } from './types';
