/** The shop the messages speak for: its name, addresses and support contacts. */
import { z } from 'zod';
import { httpUrl } from '../values';
import { defineSection } from '../section';
import { publicBaseUrl } from './service';

export interface ShopConfig {
  name: string;
  supportEmail: string;
  supportPhone?: string;
  /** The sender's postal address, printed in every marketing email. */
  postalAddress: string;
  /** The shop's web address: review and reorder links start here. */
  url: string;
  /** Where marketing emails send a reader who wants out, when the sender passes no per-recipient link. */
  unsubscribeUrl: string;
}

export const shopSection = defineSection({
  variables: {
    SUPPORT_EMAIL: z.email().default('support@example.com'),
    SUPPORT_PHONE: z.string().min(1).optional(),
    SHOP_NAME: z.string().min(1).default('Our shop'),
    SHOP_POSTAL_ADDRESS: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .default('Example Shop, 1 Example Street, Riga, LV-1010, Latvia'),
    SHOP_URL: httpUrl.default('https://shop.example'),
  },
  read: (e): ShopConfig => ({
    name: e.SHOP_NAME,
    supportEmail: e.SUPPORT_EMAIL,
    supportPhone: e.SUPPORT_PHONE,
    postalAddress: e.SHOP_POSTAL_ADDRESS,
    url: e.SHOP_URL.replace(/\/+$/, ''),
    unsubscribeUrl: `${publicBaseUrl(e).replace(/\/+$/, '')}/v1/unsubscribe`,
  }),
});
