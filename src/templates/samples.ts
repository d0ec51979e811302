/**
 * A realistic example of every message type, for previews (GET /v1/templates/:type/preview), the benchmark and the
 * tests. One function per MessageType (src/domain/message-types.ts): a type added there does not compile without one.
 */
import type { Locale } from './locale';
import type { CustomerMessage, ItemRef, MessageType, OrderRef } from './types';

const NAMES: Record<Locale, string> = { en: 'Anna', lv: 'Anna', bg: 'Мария', hu: 'Eszter', ar: 'ليلى' };

const serum: ItemRef = { sku: 'SERUM-30', name: 'Vitamin C serum 30 ml', quantity: 2, category: 'cosmetics' };
const towel: ItemRef = { sku: 'TOWEL-01', name: 'Bamboo towel', quantity: 1 };
const parcel = {
  carrier: 'dhl',
  trackingNumber: 'JD014600006281230704',
  trackingUrl: 'https://www.dhl.com/lv-en/home/tracking.html?tracking-id=JD014600006281230704',
  items: [serum, towel],
};

const SAMPLES: { [T in MessageType]: (order: OrderRef) => Extract<CustomerMessage, { messageType: T }> } = {
  confirmation: (order) => ({
    messageType: 'confirmation',
    data: {
      order: {
        ...order,
        items: [
          { sku: 'SERUM-30', name: 'Vitamin C serum 30 ml', quantity: 2, unitPrice: '24.50', category: 'cosmetics' },
          { sku: 'TOWEL-01', name: 'Bamboo towel', quantity: 1, unitPrice: '10.90' },
        ],
        currency: 'EUR',
        total: '59.90',
        placedAt: '2026-11-20T10:15:00Z',
        relatedProducts: [{ sku: 'CREAM-50', name: 'Night cream 50 ml', url: 'https://shop.example/p/cream-50' }],
      },
      deliveryWindow: { earliest: '2026-11-23', latest: '2026-11-25' },
    },
  }),
  shipped: (order) => ({ messageType: 'shipped', data: { order, ...parcel } }),
  out_for_delivery: (order) => ({ messageType: 'out_for_delivery', data: { order, ...parcel } }),
  ready_for_pickup: (order) => ({ messageType: 'ready_for_pickup', data: { order, ...parcel } }),
  delivered: (order) => ({ messageType: 'delivered', data: { order, ...parcel } }),
  delivery_problem: (order) => ({
    messageType: 'delivery_problem',
    data: { order, ...parcel, status: 'attempt_failed' },
  }),
  tracking_stalled: (order) => ({ messageType: 'tracking_stalled', data: { order, ...parcel } }),
  unboxing_tips: (order) => ({ messageType: 'unboxing_tips', data: { order, items: [serum, towel] } }),
  review_request: (order) => ({ messageType: 'review_request', data: { order, items: [serum, towel] } }),
  review_reminder: (order) => ({ messageType: 'review_reminder', data: { order, items: [serum] } }),
  bad_review_apology: (order) => ({ messageType: 'bad_review_apology', data: { order, items: [serum] } }),
  replenishment_reminder: (order) => ({ messageType: 'replenishment_reminder', data: { order, item: serum } }),
  return_accepted: (order) => ({
    messageType: 'return_accepted',
    data: {
      order,
      rmaId: 'RMA-2041',
      items: [{ ...towel }],
      // A prepaid label (the plain instructions show without one), at an address as long as EasyPost's.
      label: {
        url: 'https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/20261124/e8a6cbbd2c8c4b0b8c8b0f1e1f0a3b55.pdf',
        carrier: 'usps',
        trackingNumber: '9434600208303110373101',
      },
    },
  }),
  refund_confirmed: (order) => ({
    messageType: 'refund_confirmed',
    data: { order, rmaId: 'RMA-2041', items: [{ ...towel }] },
  }),
  cancellation: (order) => ({ messageType: 'cancellation', data: { order } }),
  birthday: (order) => ({ messageType: 'birthday', data: { order, offerCode: 'BDAY-15' } }),
  anniversary: (order) => ({ messageType: 'anniversary', data: { order, years: 2 } }),
  win_back: (order) => ({ messageType: 'win_back', data: { order } }),
  win_back_reminder: (order) => ({ messageType: 'win_back_reminder', data: { order } }),
  loyalty_tier: (order) => ({ messageType: 'loyalty_tier', data: { order, tier: 'silver', offerCode: 'SILVER-10' } }),
};

/** The example of `type` for a customer speaking `locale` (any tag; the name comes from its catalogue's language). */
export function sampleMessage(type: MessageType, locale: string, overrides: Partial<OrderRef> = {}): CustomerMessage {
  const language = locale.split(/[-_]/)[0]!.toLowerCase();
  const name = NAMES[language as Locale] ?? NAMES.en;
  return SAMPLES[type]({ orderId: 'A-100234', name, locale, timeZone: 'Europe/Riga', ...overrides });
}
