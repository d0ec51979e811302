/** The shop the template tests render for: config's shape, with every detail set. */
import type { ShopDetails } from '../../src/templates';

export const SHOP: ShopDetails = {
  name: 'Test Shop',
  supportEmail: 'help@test-shop.example',
  supportPhone: '+37120000001',
  postalAddress: 'Test Shop SIA, Brīvības iela 1, Rīga, LV-1010, Latvia',
  url: 'https://shop.example',
  unsubscribeUrl: 'https://journeys.test-shop.example/v1/unsubscribe',
};

/** No-break and narrow spaces (Intl puts them in money and dates) read as plain spaces. */
export const plainSpaces = (text: string) => text.replace(/[\u00A0\u202F\u2009]/g, ' ');
