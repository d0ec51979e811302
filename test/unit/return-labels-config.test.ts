/**
 * Return labels are bought only when the shop says so, with everything a label needs: EasyPost's key, the return
 * address, the parcel's weight. A half-made setting is refused at start-up, naming the variable.
 */
import { loadConfig } from '../../src/config';
import { problemsOf } from '../helpers/config-problems';

const base = { DATABASE_URL: 'postgres://localhost:5432/app' };
const ADDRESS = '{"company":"Example Shop","street1":"1 Example Street","city":"Riga","zip":"LV-1010","country":"LV"}';
const labels = {
  ...base,
  RETURN_LABEL_PROVIDER: 'easypost',
  EASYPOST_API_KEY: 'EZAKlive0123456789',
  RETURN_ADDRESS: ADDRESS,
  RETURN_PARCEL_WEIGHT_OZ: '24',
};

describe('return labels configuration', () => {
  it('buys no labels unless RETURN_LABEL_PROVIDER says so, even with an EasyPost key', () => {
    expect(loadConfig(base).returnLabels).toBeUndefined();
    expect(loadConfig({ ...base, EASYPOST_API_KEY: 'EZAKlive0123456789' }).returnLabels).toBeUndefined();
  });

  it('reads the return address, the parcel and the carrier accounts', () => {
    const config = loadConfig({
      ...labels,
      RETURN_PARCEL_LENGTH_IN: '12',
      RETURN_PARCEL_WIDTH_IN: '9',
      RETURN_PARCEL_HEIGHT_IN: '4.5',
      RETURN_LABEL_CARRIER_ACCOUNTS: 'ca_0123abcd, ca_4567ef',
    });
    expect(config.returnLabels).toEqual({
      provider: 'easypost',
      returnAddress: {
        company: 'Example Shop',
        street1: '1 Example Street',
        city: 'Riga',
        zip: 'LV-1010',
        country: 'LV',
      },
      parcel: { weightOz: 24, lengthIn: 12, widthIn: 9, heightIn: 4.5 },
      carrierAccounts: ['ca_0123abcd', 'ca_4567ef'],
    });
    expect(config.carrierTracking.options.easypost?.apiKey).toBe('EZAKlive0123456789');
  });

  it('names what a label provider needs and is missing', () => {
    expect(problemsOf({ ...base, RETURN_LABEL_PROVIDER: 'easypost' }).sort()).toEqual([
      'EASYPOST_API_KEY is required when RETURN_LABEL_PROVIDER=easypost (return labels are bought with it)',
      'RETURN_ADDRESS is required when RETURN_LABEL_PROVIDER=easypost (return labels are bought with it)',
      'RETURN_PARCEL_WEIGHT_OZ is required when RETURN_LABEL_PROVIDER=easypost (return labels are bought with it)',
    ]);
  });

  it('names a bad return address field by field, and one that is not JSON', () => {
    expect(
      problemsOf({
        ...labels,
        RETURN_ADDRESS: '{"street1":"1 Example Street","city":"Riga","zip":"LV-1010","country":"Latvia"}',
      }),
    ).toEqual(['RETURN_ADDRESS.country must be an ISO 3166-1 alpha-2 code such as "LV"']);
    expect(problemsOf({ ...labels, RETURN_ADDRESS: '{"city":"Riga","zip":"LV-1010","country":"LV"}' })).toEqual([
      'RETURN_ADDRESS.street1 is required',
    ]);
    expect(problemsOf({ ...labels, RETURN_ADDRESS: 'Example Shop, Riga' })).toEqual([
      expect.stringMatching(/^RETURN_ADDRESS must be a JSON object, e.g. \{"company"/),
    ]);
  });

  it('refuses half a parcel size, a weight that is not a number, and accounts that are not EasyPost ids', () => {
    expect(problemsOf({ ...labels, RETURN_PARCEL_LENGTH_IN: '12' }).sort()).toEqual([
      "RETURN_PARCEL_HEIGHT_IN is required when RETURN_PARCEL_LENGTH_IN is set (the return parcel's dimensions)",
      "RETURN_PARCEL_WIDTH_IN is required when RETURN_PARCEL_LENGTH_IN is set (the return parcel's dimensions)",
    ]);
    expect(problemsOf({ ...labels, RETURN_PARCEL_WEIGHT_OZ: 'heavy' })).toEqual([
      'RETURN_PARCEL_WEIGHT_OZ must be a number of ounces',
    ]);
    expect(problemsOf({ ...labels, RETURN_LABEL_CARRIER_ACCOUNTS: 'ups' })).toEqual([
      'RETURN_LABEL_CARRIER_ACCOUNTS.0 must be EasyPost carrier account ids ("ca_…")', // the first one listed
    ]);
  });

  it('says a label setting without the provider has no effect', () => {
    expect(problemsOf({ ...base, RETURN_ADDRESS: ADDRESS })).toEqual([
      'RETURN_ADDRESS has no effect without RETURN_LABEL_PROVIDER (no return labels are bought)',
    ]);
  });
});
