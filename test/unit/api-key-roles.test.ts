/** Which role an API key has (src/api/auth.ts): keys are compared by digest, the configured ones digested once. */
import { roleOf } from '../../src/api/auth';

const keys = { checkout: ['checkout-old', 'checkout-new'], support: ['support-1'] };

it("answers the role of any of a role's keys (a rotation keeps the old key working)", () => {
  expect(roleOf(keys, 'checkout-old')).toBe('checkout');
  expect(roleOf(keys, 'checkout-new')).toBe('checkout');
  expect(roleOf(keys, 'support-1')).toBe('support');
});

it('knows no key that is not configured, however close', () => {
  expect(roleOf(keys, 'checkout-ol')).toBeUndefined();
  expect(roleOf(keys, 'checkout-old ')).toBeUndefined();
  expect(roleOf(keys, '')).toBeUndefined();
});

it('answers from the key set it is given, not from one digested before', () => {
  expect(roleOf(keys, 'support-1')).toBe('support');
  const other = { checkout: ['support-1'], support: [] };
  expect(roleOf(other, 'support-1')).toBe('checkout');
  expect(roleOf(other, 'checkout-new')).toBeUndefined();
});
