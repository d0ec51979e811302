import { orderSchema } from '../../src/domain/order';
import { journeyPolicySchema, productionPolicy, demoPolicy } from '../../src/domain/policy';
import { orderFingerprint } from '../../src/journeys/journey-service';
import { anOrder } from '../helpers/fixtures';

describe('an order from checkout', () => {
  it('defaults locale and channels', () => {
    const { locale, channels, ...rest } = anOrder();
    const order = orderSchema.parse({ ...rest, channels: undefined });
    expect(order.locale).toBe('en');
    expect(order.channels).toEqual(['email']);
  });

  it('needs a phone number when the customer chose SMS', () => {
    const result = orderSchema.safeParse(anOrder({ phone: undefined, channels: ['sms'] }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['phone'],
      message: 'is required when channels include "sms"',
    });
  });

  it('refuses an unknown time zone, a float price and a repeated sku', () => {
    const base = anOrder();
    const result = orderSchema.safeParse({
      ...base,
      timeZone: 'Mars/Olympus',
      items: [{ ...base.items[0], unitPrice: 24.5 }, base.items[0]],
    });
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['timeZone', 'items.0.unitPrice']));
    const repeated = orderSchema.safeParse({ ...base, items: [base.items[0], base.items[0]] });
    expect(repeated.error?.issues.map((i) => i.path.join('.'))).toEqual(['items.1.sku']);
  });

  it('carries marketing consent from checkout only when given: absent stays absent (no consent), a non-boolean is refused', () => {
    const { marketingConsent: _ticked, ...withoutConsent } = anOrder();
    const order = orderSchema.parse(withoutConsent);
    expect(order).not.toHaveProperty('marketingConsent'); // so an order sent before the field existed keeps its fingerprint
    expect(orderSchema.parse(anOrder({ marketingConsent: true })).marketingConsent).toBe(true);
    expect(orderSchema.safeParse(anOrder({ marketingConsent: 'yes' as never })).error?.issues[0]?.path).toEqual([
      'marketingConsent',
    ]);
  });

  it('has the same fingerprint whatever the key order, and another one when any value differs', () => {
    const order = orderSchema.parse(anOrder());
    // Not parsed again: zod would rebuild the object in schema order. The fingerprint itself must ignore key order,
    // at the top and inside items.
    const reversed = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;
    const reordered = reversed({ ...order, items: order.items.map(reversed) });
    expect(Object.keys(reordered)).not.toEqual(Object.keys(order));
    expect(Object.keys(reordered.items[0]!)).not.toEqual(Object.keys(order.items[0]!));
    expect(orderFingerprint(reordered)).toBe(orderFingerprint(order));
    expect(orderFingerprint({ ...order, total: '60.00' })).not.toBe(orderFingerprint(order));
  });
});

describe('the journey policy', () => {
  it('asks for reviews 10 days after delivery and keeps returns open 30 days, by default', () => {
    expect(productionPolicy).toMatchObject({
      reviewRequestDelayDays: 10,
      unboxingDelayDays: 2,
      returnWindowDays: 30,
      secondsPerDay: 86_400,
    });
  });

  it('refuses a review delay outside 7 to 15 days', () => {
    expect(
      journeyPolicySchema.safeParse({ ...productionPolicy, reviewRequestDelayDays: 6 }).error?.issues[0]?.message,
    ).toBe('must be at least 7 days after delivery');
    expect(journeyPolicySchema.safeParse({ ...productionPolicy, reviewRequestDelayDays: 16 }).success).toBe(false);
  });

  it('runs the demo at one second per day with the same rules', () => {
    expect(demoPolicy).toEqual({ ...productionPolicy, name: 'demo', secondsPerDay: 1, secondsPerRetryHour: 60 });
  });
});
