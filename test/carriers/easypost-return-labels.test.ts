/**
 * Return labels through EasyPost's official SDK, against a local server that checks each request against the shapes
 * the SDK's types and EasyPost's reference give (test/helpers/easypost-shipments-stub.ts says where each comes from:
 * EasyPost publishes no OpenAPI document to check against).
 */
import { EasyPostReturnLabels } from '../../src/providers/return-labels/easypost';
import { CarrierError } from '../../src/providers/carriers/types';
import { startShipmentsStub, UNDELIVERABLE_STREET, type ShipmentsStub } from '../helpers/easypost-shipments-stub';

const RETURN_ADDRESS = {
  company: 'Test Shop Returns',
  street1: '1 Warehouse Road',
  city: 'Riga',
  zip: 'LV-1010',
  country: 'LV',
  phone: '+37120000001',
};
const CUSTOMER = { name: 'Anna Bērziņa', street1: 'Brīvības iela 1-2', city: 'Riga', zip: 'LV-1011', country: 'LV' };

let easypost: ShipmentsStub;
let labels: EasyPostReturnLabels;

beforeAll(async () => {
  easypost = await startShipmentsStub();
  labels = new EasyPostReturnLabels({
    apiKey: 'EZTKtest0123456789abcdef',
    baseUrl: `${easypost.url}/v2`,
    returnAddress: RETURN_ADDRESS,
    parcel: { weightOz: 24, lengthIn: 12, widthIn: 9, heightIn: 4 },
    carrierAccounts: ['ca_0123456789abcdef'],
    timeoutMs: 1_000,
  });
});
afterAll(() => easypost?.stop());
afterEach(() => expect(easypost.violations).toEqual([]));

describe('EasyPost return labels', () => {
  it('creates a return shipment from the customer to the shop and buys its cheapest rate', async () => {
    const shipmentId = await labels.createReturnShipment({ rmaId: 'RMA-A1-1', from: CUSTOMER });
    const label = await labels.buyLabel(shipmentId);

    expect(label).toEqual({
      shipmentId,
      carrier: 'usps', // USPS at 5.93 rather than UPS at 9.42
      trackingNumber: expect.stringMatching(/^94346002083031\d{8}$/),
      labelUrl: expect.stringMatching(/^https:\/\/easypost-files\..*\.png$/),
      trackingUrl: expect.stringMatching(/^https:\/\/track\.easypost\.com\//),
    });
    expect(easypost.purchases).toEqual([{ shipmentId, reference: 'RMA-A1-1', trackingNumber: label.trackingNumber }]);
  });

  it('answers the label of a shipment bought already, without buying again', async () => {
    const shipmentId = await labels.createReturnShipment({ rmaId: 'RMA-A2-1', from: CUSTOMER });
    const first = await labels.buyLabel(shipmentId);
    const before = easypost.calls.length;

    await expect(labels.buyLabel(shipmentId)).resolves.toEqual(first);
    expect(easypost.calls.slice(before)).toEqual([`GET /v2/shipments/${shipmentId}`]);
    expect(easypost.purchases.filter((p) => p.shipmentId === shipmentId)).toHaveLength(1);
  });

  it('a purchase answered too late is a retryable timeout, and asking again finds its label', async () => {
    const shipmentId = await labels.createReturnShipment({ rmaId: 'RMA-A3-1', from: CUSTOMER });
    easypost.answerNextPurchaseAfter(2_500);
    const timedOut = await labels.buyLabel(shipmentId).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(CarrierError);
    expect(timedOut).toMatchObject({ retryable: true });

    const label = await labels.buyLabel(shipmentId);
    expect(easypost.purchases.filter((p) => p.shipmentId === shipmentId)).toEqual([
      { shipmentId, reference: 'RMA-A3-1', trackingNumber: label.trackingNumber },
    ]);
  });

  it('an address EasyPost refuses is a final refusal with EasyPost’s own code', async () => {
    const refusal = await labels
      .createReturnShipment({ rmaId: 'RMA-A4-1', from: { ...CUSTOMER, street1: UNDELIVERABLE_STREET } })
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(CarrierError);
    expect(refusal).toMatchObject({ retryable: false, code: '422 ADDRESS.VERIFY.FAILURE', provider: 'easypost' });
  });

  it('classifies outages: 5xx and 429 are worth retrying, a refused connection too', async () => {
    easypost.failNext(1, 503, 'SERVICE.UNAVAILABLE');
    await expect(labels.createReturnShipment({ rmaId: 'RMA-A5-1', from: CUSTOMER })).rejects.toMatchObject({
      retryable: true,
      code: '503 SERVICE.UNAVAILABLE',
    });
    easypost.failNext(1, 429, 'RATE_LIMITED');
    await expect(labels.buyLabel('shp_any')).rejects.toMatchObject({ retryable: true, code: '429 RATE_LIMITED' });
    const down = new EasyPostReturnLabels({
      apiKey: 'EZTKtest0123456789abcdef',
      baseUrl: 'http://127.0.0.1:9/v2',
      returnAddress: RETURN_ADDRESS,
      parcel: { weightOz: 24 },
    });
    await expect(down.createReturnShipment({ rmaId: 'RMA-A5-2', from: CUSTOMER })).rejects.toMatchObject({
      retryable: true,
      code: 'ECONNREFUSED',
    });
  });
});
