/**
 * EasyPost's Shipments API on 127.0.0.1, for return labels: create, retrieve, buy.
 *
 * EasyPost publishes no OpenAPI document (none on docs.easypost.com, none in the `@easypost/api` package), so the
 * request checks here are written from the SDK's own types and its API reference: `IShipmentCreateParameters`
 * (node_modules/@easypost/api/types/Shipment/ShipmentCreateParameters.d.ts: `reference`, `to_address`, `from_address`,
 * `parcel` with `weight` in ounces, `carrier_accounts` of "ca_" ids), `is_return` (Shipment.d.ts and
 * docs.easypost.com/docs/returns: the original shipment's addresses, EasyPost switches them), `Shipment.buy(id, rate)`
 * (shipment_service.js: `POST shipments/:id/buy` with `{ rate: { id } }`) and the answers' shapes (`IShipment`,
 * `IRate`, `IPostageLabel`). A request that breaks them is answered 422 in EasyPost's error format and kept in
 * `violations`, so a test that bought a label also proves what the SDK sent.
 *
 * Assumed, not documented: a second purchase of a bought shipment is refused with 422 `SHIPMENT.POSTAGE.EXISTS`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ShipmentsStub {
  url: string;
  /** Every request, in order: "POST /v2/shipments", "GET /v2/shipments/shp_1", "POST /v2/shipments/shp_1/buy". */
  calls: string[];
  /** Labels bought (a shipment bought once counts once). */
  purchases: { shipmentId: string; reference: string; trackingNumber: string }[];
  /** Requests that broke the documented shape, with why. */
  violations: string[];
  /** The next purchase goes through at once but is answered only after this long (a timeout on the caller's side). */
  answerNextPurchaseAfter(ms: number): void;
  /** Answers the next requests with this status and EasyPost error code (an outage, a rate limit). */
  failNext(count: number, status: number, code: string): void;
  stop(): Promise<void>;
}

/** An address street EasyPost's address verification refuses (its 422 ADDRESS.VERIFY.FAILURE). */
export const UNDELIVERABLE_STREET = '0 Nowhere Lane';

interface StoredShipment {
  id: string;
  object: 'Shipment';
  mode: 'test';
  reference: string;
  is_return: boolean;
  rates: { id: string; object: 'Rate'; carrier: string; service: string; rate: string; currency: string }[];
  selected_rate: unknown;
  postage_label: unknown;
  tracking_code: string | null;
  tracker: unknown;
}

const error = (status: number, code: string, message: string) => ({
  status,
  body: { error: { code, message, errors: [] } },
});

export async function startShipmentsStub(): Promise<ShipmentsStub> {
  const shipments = new Map<string, StoredShipment>();
  const stub = {
    calls: [] as string[],
    purchases: [] as ShipmentsStub['purchases'],
    violations: [] as string[],
  };
  let delayNextPurchaseMs = 0;
  let failures: { count: number; status: number; code: string } | undefined;

  const route = (method: string, path: string, body: Record<string, unknown>): { status: number; body: unknown } => {
    if (failures && failures.count > 0) {
      failures.count -= 1;
      return error(failures.status, failures.code, 'stubbed failure');
    }
    if (method === 'POST' && path === '/v2/shipments') return create(body.shipment as Record<string, unknown>);
    const match = /^\/v2\/shipments\/(shp_\w+)(\/buy)?$/.exec(path);
    const shipment = match && shipments.get(match[1]!);
    if (!shipment) return error(404, 'NOT_FOUND', 'The requested resource could not be found.');
    if (method === 'GET' && !match[2]) return { status: 200, body: shipment };
    if (method === 'POST' && match[2]) return buy(shipment, body);
    return error(404, 'NOT_FOUND', 'The requested resource could not be found.');
  };

  const create = (s: Record<string, unknown> | undefined) => {
    const problems = shipmentProblems(s);
    if (problems.length) {
      stub.violations.push(...problems);
      return error(422, 'PARAMETER.INVALID', problems.join('; '));
    }
    const to = s!.to_address as Record<string, string>;
    if (to.street1 === UNDELIVERABLE_STREET) return error(422, 'ADDRESS.VERIFY.FAILURE', 'Unable to verify address.');
    const id = `shp_${String(shipments.size + 1).padStart(4, '0')}${Math.random().toString(16).slice(2, 10)}`;
    const rate = (suffix: string, carrier: string, service: string, amount: string) => ({
      id: `rate_${id.slice(4)}${suffix}`,
      object: 'Rate' as const,
      carrier,
      service,
      rate: amount,
      currency: 'USD',
      shipment_id: id,
    });
    const shipment: StoredShipment = {
      id,
      object: 'Shipment',
      mode: 'test',
      reference: String(s!.reference),
      is_return: true,
      rates: [rate('b', 'UPS', 'Ground', '9.42'), rate('a', 'USPS', 'GroundAdvantage', '5.93')],
      selected_rate: null,
      postage_label: null,
      tracking_code: null,
      tracker: null,
    };
    shipments.set(id, shipment);
    return { status: 201, body: shipment };
  };

  const buy = (shipment: StoredShipment, body: Record<string, unknown>) => {
    const rateId = (body.rate as { id?: unknown } | undefined)?.id;
    const rate = shipment.rates.find((r) => r.id === rateId);
    if (!rate) {
      stub.violations.push(`buy ${shipment.id}: rate.id ${String(rateId)} is not one of the shipment's rates`);
      return error(422, 'PARAMETER.INVALID', 'Invalid rate');
    }
    if (shipment.postage_label) return error(422, 'SHIPMENT.POSTAGE.EXISTS', 'Shipment already has postage.');
    const trackingCode = `94346002083031${String(stub.purchases.length + 1).padStart(8, '0')}`;
    shipment.selected_rate = rate;
    shipment.tracking_code = trackingCode;
    shipment.postage_label = {
      object: 'PostageLabel',
      id: `pl_${shipment.id.slice(4)}`,
      label_file_type: 'image/png',
      label_url: `https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/20261124/${shipment.id.slice(4)}.png`,
      label_pdf_url: null,
    };
    shipment.tracker = {
      object: 'Tracker',
      id: `trk_${shipment.id.slice(4)}`,
      tracking_code: trackingCode,
      public_url: `https://track.easypost.com/djE6${shipment.id.slice(4)}`,
    };
    stub.purchases.push({ shipmentId: shipment.id, reference: shipment.reference, trackingNumber: trackingCode });
    return { status: 200, body: shipment };
  };

  /** Answers still waiting on their delay: stop() drops them, so none outlives the test file. */
  const late = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const method = req.method ?? '';
      stub.calls.push(`${method} ${path}`);
      const text = Buffer.concat(chunks).toString();
      const answer = route(method, path, text ? (JSON.parse(text) as Record<string, unknown>) : {});
      const delay = path.endsWith('/buy') && answer.status === 200 ? delayNextPurchaseMs : 0;
      if (delay) delayNextPurchaseMs = 0;
      const answering = setTimeout(() => {
        late.delete(answering);
        if (res.destroyed) return; // the caller gave up: the purchase stands all the same
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      }, delay);
      late.add(answering);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ...stub,
    answerNextPurchaseAfter: (ms) => {
      delayNextPurchaseMs = ms;
    },
    failNext: (count, status, code) => {
      failures = { count, status, code };
    },
    stop: () =>
      new Promise((resolve) => {
        for (const answering of late) clearTimeout(answering);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What `IShipmentCreateParameters` and the returns guide require of a return shipment; [] when it conforms. */
function shipmentProblems(s: Record<string, unknown> | undefined): string[] {
  if (!s || typeof s !== 'object') return ['body must be { shipment: {...} }'];
  const problems: string[] = [];
  if (s.is_return !== true) problems.push('shipment.is_return must be true for a return label');
  if (typeof s.reference !== 'string' || !s.reference) problems.push('shipment.reference must be a string');
  for (const side of ['to_address', 'from_address']) {
    const a = s[side] as Record<string, unknown> | undefined;
    if (!a || typeof a !== 'object') {
      problems.push(`shipment.${side} must be an address object`);
      continue;
    }
    for (const field of ['street1', 'city', 'zip']) {
      if (typeof a[field] !== 'string' || !a[field]) problems.push(`shipment.${side}.${field} must be a string`);
    }
    if (typeof a.country !== 'string' || !/^[A-Z]{2}$/.test(a.country))
      problems.push(`shipment.${side}.country must be an ISO 3166 alpha-2 code`);
    for (const [field, value] of Object.entries(a)) {
      if (!ADDRESS_FIELDS.has(field)) problems.push(`shipment.${side}.${field} is not an address field`);
      else if (typeof value !== 'string') problems.push(`shipment.${side}.${field} must be a string`);
    }
  }
  const parcel = s.parcel as Record<string, unknown> | undefined;
  if (!parcel || typeof parcel.weight !== 'number' || !(parcel.weight > 0))
    problems.push('shipment.parcel.weight must be a positive number (ounces)');
  for (const d of ['length', 'width', 'height'])
    if (parcel && d in parcel && typeof parcel[d] !== 'number') problems.push(`shipment.parcel.${d} must be a number`);
  const accounts = s.carrier_accounts;
  if (accounts !== undefined && !(Array.isArray(accounts) && accounts.every((a) => /^ca_\w+$/.test(String(a)))))
    problems.push('shipment.carrier_accounts must be ids beginning with "ca_"');
  for (const key of Object.keys(s))
    if (!SHIPMENT_FIELDS.has(key)) problems.push(`shipment.${key} is not a shipment create parameter`);
  return problems;
}

/** `IAddressCreateParameters`' fields. */
const ADDRESS_FIELDS = new Set([
  'name',
  'company',
  'street1',
  'street2',
  'city',
  'state',
  'zip',
  'country',
  'phone',
  'email',
  'residential',
  'carrier_facility',
  'federal_tax_id',
  'state_tax_id',
]);

/** `IShipmentCreateParameters`' fields, and `is_return`. */
const SHIPMENT_FIELDS = new Set([
  'reference',
  'to_address',
  'from_address',
  'return_address',
  'buyer_address',
  'parcel',
  'carrier_accounts',
  'customs_info',
  'tax_identifiers',
  'options',
  'line_items',
  'is_return',
]);
