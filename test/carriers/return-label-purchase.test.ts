/**
 * The label purchase activity on PostgreSQL and EasyPost's SDK (a local stand-in of its Shipments API): one label per
 * RMA, even when two attempts overlap (an attempt still running after its start-to-close timeout, and its retry), and
 * a refusal answered as recorded, without asking EasyPost again.
 */
import type { Pool } from 'pg';
import { createReturnLabelActivities } from '../../src/activities/return-labels';
import { ReturnLabels } from '../../src/db/return-labels';
import { EasyPostReturnLabels } from '../../src/providers/return-labels/easypost';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';
import { startShipmentsStub, UNDELIVERABLE_STREET, type ShipmentsStub } from '../helpers/easypost-shipments-stub';

const ADDRESS = { name: 'Anna', street1: 'Brīvības iela 1-2', city: 'Riga', zip: 'LV-1011', country: 'LV' };

let pool: Pool;
let easypost: ShipmentsStub;
let activities: ReturnType<typeof createReturnLabelActivities>;

beforeAll(async () => {
  pool = testPool();
  easypost = await startShipmentsStub();
  activities = createReturnLabelActivities({
    returnLabels: {
      provider: new EasyPostReturnLabels({
        apiKey: 'EZTKtest0123456789abcdef',
        baseUrl: `${easypost.url}/v2`,
        returnAddress: {
          company: 'Test Shop',
          street1: '1 Warehouse Road',
          city: 'Riga',
          zip: 'LV-1010',
          country: 'LV',
        },
        parcel: { weightOz: 24 },
      }),
      records: new ReturnLabels(pool),
    },
  });
});
afterAll(async () => {
  await easypost?.stop();
  await pool?.end();
});

const returnOf = (address = ADDRESS) => {
  const orderId = uniqueId('ord');
  return { journeyId: `order-${orderId}`, orderId, rmaId: `RMA-${orderId}-1`, address };
};

it('two overlapping attempts for one RMA buy one label, and both answer it', async () => {
  const input = returnOf();
  const [first, second] = await Promise.all([activities.buyReturnLabel(input), activities.buyReturnLabel(input)]);

  expect(first).toMatchObject({ status: 'bought', carrier: 'usps' });
  expect(second).toEqual(first);
  expect(easypost.purchases.filter((p) => p.reference === input.rmaId)).toHaveLength(1);
  await expect(activities.buyReturnLabel(input)).resolves.toEqual(first); // a later retry: from PostgreSQL
});

it('a refusal is recorded once and answered to every retry without asking EasyPost again', async () => {
  const input = returnOf({ ...ADDRESS, street1: UNDELIVERABLE_STREET });
  await expect(activities.buyReturnLabel(input)).resolves.toEqual({
    status: 'refused',
    provider: 'easypost',
    code: '422 ADDRESS.VERIFY.FAILURE',
  });
  const calls = easypost.calls.length;
  await expect(activities.buyReturnLabel(input)).resolves.toMatchObject({ status: 'refused' });
  expect(easypost.calls.length).toBe(calls);
});

it('an outage is thrown for Temporal to retry, and the retry buys the label', async () => {
  const input = returnOf();
  easypost.failNext(1, 502, 'BAD_GATEWAY');
  await expect(activities.buyReturnLabel(input)).rejects.toMatchObject({
    type: 'ReturnLabelUnavailable',
    nonRetryable: false,
  });
  await expect(activities.buyReturnLabel(input)).resolves.toMatchObject({ status: 'bought' });
  expect(easypost.purchases.filter((p) => p.reference === input.rmaId)).toHaveLength(1);
});

it('without a provider, or without the customer’s address, nothing is bought', async () => {
  const none = createReturnLabelActivities({});
  await expect(none.buyReturnLabel(returnOf())).resolves.toEqual({ status: 'not_configured' });
  const { address: _address, ...withoutAddress } = returnOf();
  await expect(activities.buyReturnLabel(withoutAddress)).resolves.toEqual({ status: 'no_address' });
});
