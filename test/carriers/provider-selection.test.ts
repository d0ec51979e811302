/**
 * Which tracking provider follows which parcels, from the config: a default, and per carrier code when configured.
 */
import { loadConfig } from '../../src/config';
import { createCarrierTracking } from '../../src/providers/carriers';
import { startAfterShipStub, startEasyPostStub, type CarrierStub } from '../helpers/carrier-stubs';

const base = { DATABASE_URL: 'postgres://localhost/test' };
let easypost: CarrierStub;
let aftership: CarrierStub;

beforeAll(async () => {
  [easypost, aftership] = await Promise.all([startEasyPostStub(), startAfterShipStub()]);
});
afterAll(async () => {
  await easypost?.stop();
  await aftership?.stop();
});

describe('carrier tracking selection', () => {
  it('tracks nothing without a provider key', () => {
    const config = loadConfig(base);
    expect(config.carrierTracking).toEqual({ provider: 'none', byCarrier: {}, options: {} });
    expect(createCarrierTracking(config).tracking.name).toBe('none');
  });

  it('uses the provider whose key is set, EasyPost first', () => {
    expect(loadConfig({ ...base, AFTERSHIP_API_KEY: 'k' }).carrierTracking.provider).toBe('aftership');
    expect(loadConfig({ ...base, AFTERSHIP_API_KEY: 'k', EASYPOST_API_KEY: 'k' }).carrierTracking.provider).toBe(
      'easypost',
    );
    expect(
      loadConfig({ ...base, EASYPOST_API_KEY: 'k', CARRIER_TRACKING_PROVIDER: 'none' }).carrierTracking.provider,
    ).toBe('none');
  });

  it('sends each carrier’s parcels to its configured provider, the rest to the default one', async () => {
    const config = loadConfig({
      ...base,
      EASYPOST_API_KEY: 'EZTK-test',
      EASYPOST_BASE_URL: `${easypost.url}/v2`,
      AFTERSHIP_API_KEY: 'asat-test',
      AFTERSHIP_BASE_URL: aftership.url,
      CARRIER_TRACKING_BY_CARRIER: 'dpd=aftership, omniva=aftership',
    });
    const { tracking } = createCarrierTracking(config);
    await tracking.registerTracker!('DPD', '05222000077');
    await tracking.registerTracker!('ups', 'EZ1000000001');
    expect(aftership.calls.map((c) => JSON.parse(c.body).tracking_number)).toEqual(['05222000077']);
    expect(easypost.calls.map((c) => JSON.parse(c.body).tracker.tracking_code)).toEqual(['EZ1000000001']);
  });

  it('names the variable that is missing or wrong', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...base, ...env });
        return [];
      } catch (err) {
        return (err as { problems: string[] }).problems;
      }
    };
    expect(problems({ CARRIER_TRACKING_PROVIDER: 'aftership' })).toEqual([
      expect.stringMatching(/^AFTERSHIP_API_KEY is required when AfterShip/),
    ]);
    expect(problems({ CARRIER_TRACKING_BY_CARRIER: 'dpd:aftership' })).toEqual([
      expect.stringMatching(/^CARRIER_TRACKING_BY_CARRIER must list carrier=provider pairs/),
    ]);
    expect(problems({ EASYPOST_WEBHOOK_SECRET: 's' })).toEqual([
      'EASYPOST_WEBHOOK_SECRET has no effect without EASYPOST_API_KEY',
    ]);
    expect(problems({ EMAIL_MAX_PER_SECOND: '0' })).toEqual(['EMAIL_MAX_PER_SECOND must be a positive number']);
    expect(loadConfig({ ...base, EMAIL_MAX_PER_SECOND: '25', SMS_MAX_PER_SECOND: '0.5' }).rateLimits).toEqual({
      emailPerSecond: 25,
      smsPerSecond: 0.5,
    });
  });
});
