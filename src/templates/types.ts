import type { DeliveryWindow } from '../domain/delivery-window';
import type { Order } from '../domain/order';

export interface ShopDetails {
  name: string;
  supportEmail: string;
  supportPhone?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What the confirmation needs to say: the order as bought, and what we promised about its delivery. */
export interface ConfirmationData {
  order: Pick<Order, 'orderId' | 'name' | 'locale' | 'items' | 'currency' | 'total' | 'relatedProducts'>;
  deliveryWindow: DeliveryWindow;
}
