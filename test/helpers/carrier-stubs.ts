/**
 * EasyPost and AfterShip on 127.0.0.1, answering in their real JSON shapes (EasyPost's Tracker object with
 * `tracking_details`, AfterShip's `{meta, data}` envelope with a tracking and its checkpoints), and the providers'
 * webhook signatures computed the way they compute them.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface StubAnswer {
  status: number;
  body: unknown;
}

export interface CarrierStub {
  url: string;
  calls: RecordedCall[];
  /** Answers the next requests with this instead of the normal behaviour (errors, outages). */
  override(answer: StubAnswer | undefined): void;
  stop(): Promise<void>;
}

async function startStub(route: (call: RecordedCall) => StubAnswer): Promise<CarrierStub> {
  const calls: RecordedCall[] = [];
  let override: StubAnswer | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      calls.push(call);
      const answer = override ?? route(call);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    override: (answer) => {
      override = answer;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- EasyPost

/** EasyPost's test-mode tracking codes and the status each one reports. */
export const EASYPOST_TEST_CODES = {
  EZ1000000001: 'pre_transit',
  EZ2000000002: 'in_transit',
  EZ3000000003: 'out_for_delivery',
  EZ4000000004: 'delivered',
  EZ5000000005: 'return_to_sender',
  EZ6000000006: 'failure',
  EZ7000000007: 'unknown',
} as const;

const EASYPOST_PATH: Record<string, string[]> = {
  pre_transit: ['pre_transit'],
  in_transit: ['pre_transit', 'in_transit'],
  out_for_delivery: ['pre_transit', 'in_transit', 'out_for_delivery'],
  delivered: ['pre_transit', 'in_transit', 'out_for_delivery', 'delivered'],
  return_to_sender: ['pre_transit', 'in_transit', 'return_to_sender'],
  failure: ['pre_transit', 'in_transit', 'failure'],
  unknown: [],
};

const MESSAGES: Record<string, string> = {
  pre_transit: 'Pre-Shipment Info Sent to USPS',
  in_transit: 'Arrived at USPS Facility',
  out_for_delivery: 'Out for Delivery',
  delivered: 'Delivered, In/At Mailbox',
  return_to_sender: 'Return to Sender Processed',
  failure: 'Delivery Exception: Damaged',
  available_for_pickup: 'Available for Pickup',
};

/** A Tracker as EasyPost returns it (fields from its API reference), one scan per status so far, a day apart. */
export function easyPostTracker(trackingCode: string, status?: string, lastScanAt = '2026-11-24T09:30:00Z') {
  const current = status ?? EASYPOST_TEST_CODES[trackingCode as keyof typeof EASYPOST_TEST_CODES] ?? 'unknown';
  const path = EASYPOST_PATH[current] ?? [current];
  const last = Date.parse(lastScanAt);
  return {
    id: `trk_${trackingCode.toLowerCase()}`,
    object: 'Tracker',
    mode: 'test',
    tracking_code: trackingCode,
    status: current,
    status_detail: current === 'unknown' ? 'unknown' : 'status_update',
    created_at: '2026-11-20T10:00:00Z',
    updated_at: lastScanAt,
    signed_by: current === 'delivered' ? 'John Tester' : null,
    weight: null,
    est_delivery_date: '2026-11-25T00:00:00Z',
    shipment_id: null,
    carrier: 'USPS',
    tracking_details: path.map((s, i) => ({
      object: 'TrackingDetail',
      message: MESSAGES[s] ?? s,
      description: null,
      status: s,
      status_detail: 'status_update',
      datetime: new Date(last - (path.length - 1 - i) * 86_400_000).toISOString().replace('.000Z', 'Z'),
      source: 'USPS',
      carrier_code: null,
      tracking_location: { object: 'TrackingLocation', city: 'HOUSTON', state: 'TX', country: null, zip: '77063' },
    })),
    carrier_detail: null,
    finalized: current === 'delivered',
    is_return: false,
    public_url: `https://track.easypost.com/${trackingCode}`,
    fees: [{ object: 'Fee', type: 'TrackerFee', amount: '0.02000', charged: false, refunded: false }],
  };
}

/** EasyPost's webhook body: an Event whose result is the tracker. */
export function easyPostEvent(eventId: string, tracker: ReturnType<typeof easyPostTracker>) {
  return {
    id: eventId,
    object: 'Event',
    mode: 'test',
    description: 'tracker.updated',
    previous_attributes: { status: 'pre_transit' },
    result: tracker,
    status: 'pending',
    pending_urls: ['https://journeys.test-shop.example/v1/webhooks/tracking/easypost'],
    completed_urls: [],
    created_at: tracker.updated_at,
    updated_at: tracker.updated_at,
    user_id: 'user_060ab38db3c04ffaa60f262e5781a9be',
  };
}

/**
 * `X-Hmac-Signature` as EasyPost sends it: "hmac-sha256-hex=" + hex HMAC-SHA256 of the body, secret NFKD-normalized.
 */
export function easyPostSignature(body: string, secret: string): string {
  return `hmac-sha256-hex=${createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8'))
    .update(body, 'utf8')
    .digest('hex')}`;
}

/** EasyPost's Trackers API: create (returns the tracker for a test code) and list by tracking code. */
export function startEasyPostStub(): Promise<CarrierStub> {
  return startStub((call) => {
    const url = new URL(call.path, 'http://stub');
    if (call.method === 'POST' && url.pathname === '/v2/trackers') {
      const { tracker } = JSON.parse(call.body) as { tracker: { tracking_code: string } };
      return { status: 201, body: easyPostTracker(tracker.tracking_code) };
    }
    if (call.method === 'GET' && url.pathname === '/v2/trackers') {
      const code = url.searchParams.get('tracking_code') ?? '';
      const known = code in EASYPOST_TEST_CODES;
      return { status: 200, body: { trackers: known ? [easyPostTracker(code)] : [], has_more: false } };
    }
    return {
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'The requested resource could not be found.', errors: [] } },
    };
  });
}

// ---- AfterShip

const AFTERSHIP_CHECKPOINT_MESSAGES: Record<string, string> = {
  InfoReceived: 'Shipment information received',
  InTransit: 'Departed from facility',
  OutForDelivery: 'Out for delivery',
  AvailableForPickup: 'Available for pickup at the parcel shop',
  AttemptFail: 'Delivery attempted, nobody at home',
  Delivered: 'Delivered, signed by the recipient',
  Exception: 'Shipment returned to sender',
};

/** A tracking as AfterShip returns it (fields from its Tracking API reference). */
export function afterShipTracking(
  trackingNumber: string,
  tag: string,
  options: { slug?: string; subtag?: string; at?: string } = {},
) {
  const at = options.at ?? '2026-11-24T09:30:00+00:00';
  const checkpoints =
    tag === 'Pending'
      ? []
      : [
          {
            tag: 'InfoReceived',
            subtag: 'InfoReceived_001',
            at: new Date(Date.parse(at) - 2 * 86_400_000).toISOString(),
          },
          ...(tag === 'InfoReceived' ? [] : [{ tag, subtag: options.subtag ?? `${tag}_001`, at }]),
        ].map((c) => ({
          slug: options.slug ?? 'dpd',
          city: 'Riga',
          created_at: c.at.replace('.000Z', '+00:00'),
          location: 'Riga, LV',
          country_region: 'LVA',
          country_region_name: 'Latvia',
          message: AFTERSHIP_CHECKPOINT_MESSAGES[c.tag] ?? c.tag,
          tag: c.tag,
          subtag: c.subtag,
          subtag_message: c.tag,
          checkpoint_time: c.at.replace('.000Z', '+00:00'),
          coordinate: { latitude: null, longitude: null },
          state: null,
          zip: null,
          raw_tag: 'FPX_L_RPIF',
          source: 'carrier',
        }));
  return {
    id: `as-${trackingNumber.toLowerCase()}`,
    tracking_number: trackingNumber,
    slug: options.slug ?? 'dpd',
    active: tag !== 'Delivered',
    created_at: '2026-11-20T10:00:00+00:00',
    updated_at: at,
    tag,
    subtag: options.subtag ?? `${tag}_001`,
    subtag_message: tag,
    checkpoints,
    order_id: null,
    title: trackingNumber,
  };
}

export function afterShipWebhook(eventId: string, tracking: ReturnType<typeof afterShipTracking>) {
  return {
    event: 'tracking_update',
    event_id: eventId,
    is_tracking_first_tag: true,
    msg: tracking,
    ts: Math.floor(Date.parse(tracking.updated_at) / 1000),
  };
}

/** `aftership-hmac-sha256`: base64 HMAC-SHA256 of the raw body with the webhook secret. */
export function afterShipSignature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

/**
 * AfterShip's Tracking API: create (4003 when it exists) and list by tracking number; `tags` says each number's tag.
 */
export function startAfterShipStub(
  tags: Record<string, { tag: string; subtag?: string }> = {},
): Promise<CarrierStub & { created: Set<string> }> {
  const created = new Set<string>();
  const meta = (code: number, message = 'OK', type = 'OK') => ({ code, message, type });
  return startStub((call) => {
    const url = new URL(call.path, 'http://stub');
    const base = '/tracking/2026-07/trackings';
    if (call.method === 'POST' && url.pathname === base) {
      const { tracking_number: number, slug } = JSON.parse(call.body) as { tracking_number: string; slug: string };
      if (created.has(number))
        return {
          status: 400,
          body: {
            meta: meta(4003, 'Tracking already exists.', 'BadRequest'),
            data: { tracking: { slug, tracking_number: number } },
          },
        };
      created.add(number);
      return { status: 201, body: { meta: meta(201), data: afterShipTracking(number, 'Pending', { slug }) } };
    }
    if (call.method === 'GET' && url.pathname === base) {
      const number = url.searchParams.get('tracking_numbers') ?? '';
      const slug = url.searchParams.get('slug') ?? 'dpd';
      const known = tags[number];
      const trackings = known ? [afterShipTracking(number, known.tag, { slug, subtag: known.subtag })] : [];
      return {
        status: 200,
        body: {
          meta: meta(200),
          data: { pagination: { total: trackings.length, next_cursor: null, has_next_page: false }, trackings },
        },
      };
    }
    return {
      status: 404,
      body: {
        meta: meta(404, 'The URI requested is invalid or the resource requested does not exist.', 'NotFound'),
        data: {},
      },
    };
  }).then((stub) => Object.assign(stub, { created }));
}
