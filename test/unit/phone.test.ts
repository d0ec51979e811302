/**
 * Phone numbers checkout sends: valid E.164 numbers of a real numbering plan (libphonenumber-js), refused with a 400
 * naming the field otherwise.
 */
import { orderSchema } from '../../src/domain/order';
import { countriesOfPhone, isE164PhoneNumber, PHONE_NUMBER_RULE, toE164 } from '../../src/domain/phone';
import { anOrder } from '../helpers/fixtures';

describe('a phone number from checkout', () => {
  it('takes valid E.164 numbers of any country', () => {
    for (const phone of [
      '+37120000000',
      '+37126000000',
      '+14155550100',
      '+971501234567',
      '+442071838750',
      '+61412345678',
    ]) {
      expect({ phone, valid: isE164PhoneNumber(phone) }).toEqual({ phone, valid: true });
      expect(orderSchema.safeParse(anOrder({ phone })).success).toBe(true);
    }
  });

  it('refuses what only looks like one: a digit short, no such area code, no such country code, spaces, no "+"', () => {
    for (const phone of [
      '+3712600000',
      '+19876543210',
      '+999123456789',
      '+371 26 000 000',
      '37126000000',
      '+37126000000x',
    ]) {
      expect({ phone, valid: isE164PhoneNumber(phone) }).toEqual({ phone, valid: false });
      const result = orderSchema.safeParse(anOrder({ phone }));
      expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['phone'], message: PHONE_NUMBER_RULE })]);
    }
  });

  it('writes an international number however spelled as E.164, and nothing for what is no number', () => {
    expect(toE164('+371 26 000 000')).toBe('+37126000000');
    expect(toE164(' +1 (415) 555-0100 ')).toBe('+14155550100');
    expect(toE164('+37126000000')).toBe('+37126000000');
    expect(toE164('26000000')).toBeUndefined(); // no country code: whose?
    expect(toE164('+999')).toBeUndefined();
  });

  it("tells the number's country, or every country of its calling code when the plan does not say", () => {
    expect(countriesOfPhone('+37126000000')).toEqual(['LV']);
    expect(countriesOfPhone('+14165550100')).toEqual(['CA']);
    expect(countriesOfPhone('+19876543210')).toEqual(expect.arrayContaining(['US', 'CA', 'JM', 'GU']));
    expect(countriesOfPhone('+80012345678')).toEqual([]);
    expect(countriesOfPhone('not a number')).toEqual([]);
  });
});
