/**
 * A postal address as a carrier needs it on a label: the customer's (the order's shipping address, where a return
 * parcel comes from) and the shop's return address (config). Field names follow the carriers' usual ones.
 */
import { z } from 'zod';

const line = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
    .min(1)
    .max(max);

export const postalAddressSchema = z.object({
  /** The person (or, for the shop, the desk) the parcel is for or from. */
  name: line(100).optional(),
  company: line(100).optional(),
  street1: line(100),
  street2: line(100).optional(),
  city: line(100),
  /** State, province or county where the country uses one. */
  state: line(50).optional(),
  zip: line(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "LV"'),
});

export type PostalAddress = z.infer<typeof postalAddressSchema>;
