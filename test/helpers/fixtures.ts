/**
 * Orders as checkout would send them. Each call gets its own order id and contact details, so tests never share a
 * journey or a consent record.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { OrderInput } from '../../src/domain/order';

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * A Latvian mobile number of its own: consent is kept per address, so tests must not share one. A valid one (orders
 * refuse numbers outside the plan): 2x xxx xxx, never 23… (partly unallocated) — 9 million to choose from.
 */
function uniquePhone(): string {
  const second = '012456789'[randomInt(0, 9)]!;
  return `+3712${second}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

export function anOrder(overrides: Partial<OrderInput> = {}): OrderInput {
  const orderId = uniqueId('ord');
  return {
    orderId,
    customerId: uniqueId('cus'),
    email: `anna.berzina+${orderId}@example.com`,
    phone: uniquePhone(),
    name: 'Anna',
    locale: 'en',
    timeZone: 'Europe/Riga',
    channels: ['email', 'sms'],
    marketingConsent: true, // ticked at checkout: the journey's tips, review requests and reminders may go
    items: [
      { sku: 'SERUM-30', name: 'Vitamin C serum 30 ml', quantity: 2, unitPrice: '24.50', category: 'cosmetics' },
      { sku: 'TOWEL-01', name: 'Bamboo towel', quantity: 1, unitPrice: '10.90' },
    ],
    currency: 'EUR',
    total: '59.90',
    placedAt: '2026-11-20T10:15:00Z',
    relatedProducts: [{ sku: 'CREAM-50', name: 'Night cream 50 ml', url: 'https://shop.example/p/cream-50' }],
    ...overrides,
  };
}

/** The emails of a journey's happy path (one parcel: shipped, out for delivery, delivered; no review), in order. */
export const HAPPY_PATH_EMAILS = [
  'confirmation',
  'shipped',
  'out_for_delivery',
  'delivered',
  'unboxing_tips',
  'review_request',
  'review_reminder',
];
