/**
 * Prepaid return labels (src/providers/return-labels/): off unless RETURN_LABEL_PROVIDER names a provider, since every
 * label is bought. EasyPost uses the tracking provider's EASYPOST_API_KEY (and EASYPOST_BASE_URL); the shop's return
 * address and the parcel's defaults are this section's.
 */
import { z } from 'zod';
import type { ReturnParcel } from '../../providers/return-labels/easypost';
import { postalAddressSchema, type PostalAddress } from '../../domain/postal-address';
import { csv } from '../values';
import { defineSection, isSet, requireTogether } from '../section';

export interface ReturnLabelsConfig {
  provider: 'easypost';
  /** Where returns go; printed on every label. */
  returnAddress: PostalAddress & { phone?: string; email?: string };
  parcel: ReturnParcel;
  /** EasyPost carrier accounts (`ca_…`) that may carry returns; empty: any of the account's. */
  carrierAccounts: string[];
}

const EXAMPLE_ADDRESS =
  '{"company":"Example Shop","street1":"1 Example Street","city":"Riga","zip":"LV-1010","country":"LV","phone":"+37120000000"}';

const returnAddressSchema = postalAddressSchema.extend({
  phone: z.string().trim().min(1).max(30).optional(),
  email: z.email().optional(),
});

const inches = z.coerce.number({ error: 'must be a number of inches' }).positive('must be a positive number of inches');

/** Variables that mean something only with a label provider. */
const LABEL_SETTINGS = [
  'RETURN_ADDRESS',
  'RETURN_PARCEL_WEIGHT_OZ',
  'RETURN_PARCEL_LENGTH_IN',
  'RETURN_PARCEL_WIDTH_IN',
  'RETURN_PARCEL_HEIGHT_IN',
  'RETURN_LABEL_CARRIER_ACCOUNTS',
];

export const returnLabelsSection = defineSection({
  variables: {
    RETURN_LABEL_PROVIDER: z.enum(['easypost', 'none']).default('none'),
    /** The shop's return address as a JSON object (fields of src/domain/postal-address.ts, plus phone and email). */
    RETURN_ADDRESS: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: `must be a JSON object, e.g. ${EXAMPLE_ADDRESS}` });
          return z.NEVER;
        }
      })
      .pipe(returnAddressSchema)
      .optional(),
    RETURN_PARCEL_WEIGHT_OZ: z.coerce
      .number({ error: 'must be a number of ounces' })
      .positive('must be a positive number of ounces')
      .optional(),
    RETURN_PARCEL_LENGTH_IN: inches.optional(),
    RETURN_PARCEL_WIDTH_IN: inches.optional(),
    RETURN_PARCEL_HEIGHT_IN: inches.optional(),
    RETURN_LABEL_CARRIER_ACCOUNTS: csv
      .pipe(z.array(z.string().regex(/^ca_\w+$/, 'must be EasyPost carrier account ids ("ca_…")')))
      .optional(),
  },
  check(e, report) {
    const dimensions = ['RETURN_PARCEL_LENGTH_IN', 'RETURN_PARCEL_WIDTH_IN', 'RETURN_PARCEL_HEIGHT_IN'];
    requireTogether(e, dimensions, "the return parcel's dimensions", report);
    if (e.RETURN_LABEL_PROVIDER === 'none') {
      for (const name of LABEL_SETTINGS.filter((n) => isSet(e, n)))
        report(name, 'has no effect without RETURN_LABEL_PROVIDER (no return labels are bought)');
      return;
    }
    const why = 'when RETURN_LABEL_PROVIDER=easypost (return labels are bought with it)';
    for (const name of ['EASYPOST_API_KEY', 'RETURN_ADDRESS', 'RETURN_PARCEL_WEIGHT_OZ'].filter((n) => !isSet(e, n)))
      report(name, `is required ${why}`);
  },
  read: (e): { returnLabels?: ReturnLabelsConfig } => {
    if (e.RETURN_LABEL_PROVIDER === 'none' || !e.RETURN_ADDRESS || !e.RETURN_PARCEL_WEIGHT_OZ) return {};
    const { RETURN_PARCEL_LENGTH_IN: lengthIn, RETURN_PARCEL_WIDTH_IN: widthIn, RETURN_PARCEL_HEIGHT_IN: heightIn } = e;
    return {
      returnLabels: {
        provider: e.RETURN_LABEL_PROVIDER,
        returnAddress: e.RETURN_ADDRESS,
        parcel: {
          weightOz: e.RETURN_PARCEL_WEIGHT_OZ,
          ...(lengthIn && widthIn && heightIn ? { lengthIn, widthIn, heightIn } : {}),
        },
        carrierAccounts: e.RETURN_LABEL_CARRIER_ACCOUNTS ?? [],
      },
    };
  },
});
