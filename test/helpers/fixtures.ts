/** Orders as checkout would send them. Each call gets a unique order id so tests never share a journey. */
import { randomUUID } from 'node:crypto';
import type { OrderInput } from '../../src/domain/order';

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function anOrder(overrides: Partial<OrderInput> = {}): OrderInput {
  return {
    orderId: uniqueId('ord'),
    customerId: uniqueId('cus'),
    email: 'anna.berzina@example.com',
    phone: '+37126000000',
    name: 'Anna',
    locale: 'en',
    timeZone: 'Europe/Riga',
    channels: ['email', 'sms'],
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
