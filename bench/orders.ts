/** The orders the bench places: one shape, email only, so each journey's messages are countable at the stub. */
export const SERUM = {
  sku: 'SERUM-30',
  name: 'Vitamin C serum 30 ml',
  quantity: 2,
  unitPrice: '24.50',
  category: 'cosmetics',
};
export const TOWEL = { sku: 'TOWEL-01', name: 'Bamboo towel', quantity: 1, unitPrice: '10.90' };

export interface OrderOptions {
  /** Days between replenishment reminders for the serum (the policy's cosmetics default when left out). */
  replenishmentIntervalDays?: number;
  /** The customer's phone, as checkout sends it (validated against its country's numbering plan). */
  phone?: string;
}

export function benchOrder(orderId: string, options: OrderOptions = {}): Record<string, unknown> {
  const serum = options.replenishmentIntervalDays
    ? { ...SERUM, replenishmentIntervalDays: options.replenishmentIntervalDays }
    : SERUM;
  return {
    orderId,
    customerId: `cus-${orderId}`,
    email: `anna+${orderId}@example.com`,
    ...(options.phone ? { phone: options.phone } : {}),
    name: 'Anna',
    locale: 'en',
    timeZone: 'Europe/Riga',
    channels: ['email'],
    marketingConsent: true,
    items: [serum, TOWEL],
    currency: 'EUR',
    total: '59.90',
    placedAt: new Date().toISOString(),
  };
}

/** A short tag per run: order ids stay unique across runs on the same server. */
export function runTag(): string {
  return Date.now().toString(36).slice(-6);
}
