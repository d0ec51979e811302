/**
 * Orders as checkout would send them. Each call gets its own order id and contact details, so tests never share a
 * journey or a consent record.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { OrderInput } from '../../src/domain/order';
import { isInsideWindow } from '../../src/domain/quiet-hours';

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * A Latvian mobile number of its own: consent is kept per address, so tests must not share one. A valid one (orders
 * refuse numbers outside the plan): 2x xxx xxx, never 23… (partly unallocated) — 9 million to choose from.
 */
export function uniquePhone(): string {
  const second = '012456789'[randomInt(0, 9)]!;
  return `+3712${second}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/** Zones one to a few hours apart, so that at any moment some of them are inside the default send window. */
const ZONES_AROUND_THE_CLOCK = [
  'Pacific/Kiritimati',
  'Pacific/Auckland',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Asia/Bangkok',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Europe/Riga',
  'Europe/London',
  'Atlantic/Azores',
  'America/Sao_Paulo',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'Pacific/Honolulu',
];

/**
 * A time zone where the customer is awake (inside the default send window) now and for the next `forMinutes`: for
 * tests on a real-time server whose marketing messages must not wait for the customer's quiet hours, whatever the
 * hour the suite runs at.
 */
export function anAwakeTimeZone(forMinutes = 30, now = new Date()): string {
  const later = new Date(now.getTime() + forMinutes * 60_000);
  const zone = ZONES_AROUND_THE_CLOCK.find((z) => isInsideWindow(now, z) && isInsideWindow(later, z));
  if (!zone) throw new Error(`no zone of the list is awake from ${now.toISOString()} for ${forMinutes} min`);
  return zone;
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
