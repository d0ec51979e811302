/** The shop details messages print, from config: the postal address, the shop's site, where unsubscribing starts. */
import { ConfigError, loadConfig } from '../../src/config';

const base = { DATABASE_URL: 'postgres://localhost:5432/app' };

describe('shop details in config', () => {
  it('defaults to placeholders a developer recognises, and the unsubscribe link on this service', () => {
    expect(loadConfig(base).shop).toEqual({
      name: 'Our shop',
      supportEmail: 'support@example.com',
      supportPhone: undefined,
      postalAddress: 'Example Shop, 1 Example Street, Riga, LV-1010, Latvia',
      url: 'https://shop.example',
      unsubscribeUrl: 'http://localhost:3000/v1/unsubscribe',
    });
  });

  it('reads the real ones', () => {
    const shop = loadConfig({
      ...base,
      SHOP_POSTAL_ADDRESS: 'Test Shop SIA, Brīvības iela 1, Rīga, LV-1010, Latvia',
      SHOP_URL: 'https://www.test-shop.example/',
      PUBLIC_BASE_URL: 'https://journeys.test-shop.example/',
    }).shop;
    expect(shop).toMatchObject({
      postalAddress: 'Test Shop SIA, Brīvības iela 1, Rīga, LV-1010, Latvia',
      url: 'https://www.test-shop.example',
      unsubscribeUrl: 'https://journeys.test-shop.example/v1/unsubscribe',
    });
  });

  it('names a shop address that is no web address', () => {
    expect(() => loadConfig({ ...base, SHOP_URL: 'shop.example' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SHOP_URL: 'shop.example' })).toThrow(
      /SHOP_URL must be an http:\/\/ or https:\/\/ URL/,
    );
  });
});
