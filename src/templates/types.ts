import type { DeliveryWindow } from '../domain/delivery-window';
import type { MessageType } from '../domain/message-types';
import type { Order } from '../domain/order';

export interface ShopDetails {
  name: string;
  supportEmail: string;
  supportPhone?: string;
  /** The shop's web address: review and reorder links start here. */
  url?: string;
  /** The sender's postal address, printed in every marketing email (config always sets it). */
  postalAddress?: string;
  /**
   * Where a marketing email's unsubscribe link points when the sender passes no per-recipient link
   * (config: `${PUBLIC_BASE_URL}/v1/unsubscribe`; without it, `${url}/unsubscribe`).
   */
  unsubscribeUrl?: string;
}

/** Per-message choices of whoever sends the message. */
export interface RenderOptions {
  /** The recipient's own (signed, one-click) unsubscribe link; marketing email only. Defaults to the shop's. */
  unsubscribeUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Who a message is for and about: enough to greet the customer and name the order, nothing more. */
export interface OrderRef {
  orderId: string;
  name?: string;
  /** Any BCP 47 tag: "lv-LV" speaks Latvian, an unknown language English. */
  locale: string;
  /** The customer's IANA time zone, for times shown to them; UTC when absent. */
  timeZone?: string;
}

export interface ItemRef {
  sku: string;
  name: string;
  quantity?: number;
  category?: string;
}

/** What the confirmation needs to say: the order as bought, and what we promised about its delivery. */
export interface ConfirmationData {
  order: Pick<
    Order,
    'orderId' | 'name' | 'locale' | 'timeZone' | 'items' | 'currency' | 'total' | 'relatedProducts'
  > & {
    /** When the order was placed (ISO instant): shown in the customer's time zone when given. */
    placedAt?: string;
  };
  deliveryWindow: DeliveryWindow;
}

export interface ParcelData {
  order: OrderRef;
  carrier: string;
  trackingNumber: string;
  trackingUrl?: string;
  items: ItemRef[];
}

export interface DeliveryProblemData extends ParcelData {
  status: 'attempt_failed' | 'exception' | 'returned_to_sender';
}

export interface ItemsData {
  order: OrderRef;
  items: ItemRef[];
}

export interface ReturnData {
  order: OrderRef;
  rmaId: string;
  items: ItemRef[];
}

/** A prepaid return label, as the "return accepted" message shows it. */
export interface ReturnLabelRef {
  /** Where the customer prints it. */
  url: string;
  carrier: string;
  /** The return parcel's tracking number. */
  trackingNumber: string;
}

export interface ReturnAcceptedData extends ReturnData {
  /** Absent: no label could be bought; the message gives the plain instructions. */
  label?: ReturnLabelRef;
}

export interface ReplenishmentData {
  order: OrderRef;
  item: ItemRef;
}

export interface CancellationData {
  order: OrderRef;
}

/** Lifecycle messages name the customer's latest order (`order`), though they are about the customer. */
export interface LifecycleData {
  order: OrderRef;
}

export interface BirthdayData extends LifecycleData {
  /** The policy's birthday offer, when the shop has one. */
  offerCode?: string;
}

export interface AnniversaryData extends LifecycleData {
  /** Years since the first order. */
  years: number;
}

export interface LoyaltyTierData extends LifecycleData {
  tier: string;
  offerCode?: string;
}

/** The data each message type's templates need: one entry per MessageType, or CustomerMessage does not compile. */
export interface MessageData {
  confirmation: ConfirmationData;
  shipped: ParcelData;
  out_for_delivery: ParcelData;
  ready_for_pickup: ParcelData;
  delivered: ParcelData;
  delivery_problem: DeliveryProblemData;
  tracking_stalled: ParcelData;
  unboxing_tips: ItemsData;
  review_request: ItemsData;
  review_reminder: ItemsData;
  bad_review_apology: ItemsData;
  replenishment_reminder: ReplenishmentData;
  return_accepted: ReturnAcceptedData;
  refund_confirmed: ReturnData;
  cancellation: CancellationData;
  birthday: BirthdayData;
  anniversary: AnniversaryData;
  win_back: LifecycleData;
  win_back_reminder: LifecycleData;
  loyalty_tier: LoyaltyTierData;
}

/** Every message the journey sends, with the data its templates need: `{ messageType: 'shipped'; data: … } | …`. */
export type CustomerMessage = { [T in MessageType]: { messageType: T; data: MessageData[T] } }[MessageType];

export type { MessageType };
