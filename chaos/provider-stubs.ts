/**
 * Stand-ins for SendGrid and Twilio on 127.0.0.1 that record every request with the ledger id it carries. Duplicates
 * are counted here, where a customer would see them: the outbox's unique key would hide a second send.
 *
 * Each stub answers like the real API (SendGrid: 202 + X-Message-Id; Twilio: 201 + a message resource) unless it is in
 * an outage, when it answers 503 and 429 in turn, in the provider's own error format.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProviderName = 'sendgrid' | 'twilio';

export interface ProviderRequest {
  provider: ProviderName;
  /** The ledger row's id the request carries (SendGrid custom_args.ledgerId, Twilio StatusCallback ?ledgerId=). */
  ledgerId: string | null;
  /** SendGrid also carries these in custom_args; Twilio does not. */
  journeyId: string | null;
  step: string | null;
  at: number;
  /** What the stub answered: 2xx means the provider accepted the message, i.e. the customer gets it. */
  status: number;
}

export interface ProviderStub {
  readonly name: ProviderName;
  readonly url: string;
  readonly requests: ProviderRequest[];
  /** Until `until` (epoch ms) answer 503 / 429 alternately. */
  startOutage(until: number): void;
  endOutage(): void;
  stop(): Promise<void>;
}

export async function startProviderStub(name: ProviderName): Promise<ProviderStub> {
  const requests: ProviderRequest[] = [];
  let outageUntil = 0;
  let refusals = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const carried = name === 'sendgrid' ? sendGridIds(body) : twilioIds(body);
      const inOutage = Date.now() < outageUntil;
      const answer = inOutage ? refusal(name, refusals++) : accepted(name);
      requests.push({ provider: name, ...carried, at: Date.now(), status: answer.status });
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    requests,
    startOutage: (until) => {
      outageUntil = until;
    },
    endOutage: () => {
      outageUntil = 0;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

function accepted(name: ProviderName): Answer {
  if (name === 'sendgrid')
    return { status: 202, headers: { 'x-message-id': randomBytes(16).toString('base64url') }, body: '' };
  const sid = `SM${randomBytes(16).toString('hex')}`;
  return { status: 201, body: JSON.stringify({ sid, status: 'queued', num_segments: '1', error_code: null }) };
}

/** Every other refusal is a 429 with a short Retry-After / X-RateLimit-Reset, the rest 503. */
function refusal(name: ProviderName, n: number): Answer {
  const rateLimited = n % 2 === 1;
  if (name === 'sendgrid') {
    const message = rateLimited ? 'too many requests' : 'service unavailable';
    const headers: Record<string, string> = rateLimited
      ? { 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 2) }
      : {};
    return { status: rateLimited ? 429 : 503, headers, body: JSON.stringify({ errors: [{ field: null, message }] }) };
  }
  const [status, code] = rateLimited ? [429, 20429] : [503, 20503];
  return {
    status,
    ...(rateLimited ? { headers: { 'retry-after': '2' } } : {}),
    body: JSON.stringify({
      code,
      message: rateLimited ? 'Too Many Requests' : 'Service Unavailable',
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    }),
  };
}

function sendGridIds(body: string): Pick<ProviderRequest, 'ledgerId' | 'journeyId' | 'step'> {
  try {
    const parsed = JSON.parse(body) as { personalizations?: { custom_args?: Record<string, string> }[] };
    const args = parsed.personalizations?.[0]?.custom_args ?? {};
    return { ledgerId: args.ledgerId ?? null, journeyId: args.journeyId ?? null, step: args.step ?? null };
  } catch {
    return { ledgerId: null, journeyId: null, step: null };
  }
}

function twilioIds(body: string): Pick<ProviderRequest, 'ledgerId' | 'journeyId' | 'step'> {
  const callback = new URLSearchParams(body).get('StatusCallback');
  let ledgerId: string | null = null;
  try {
    ledgerId = callback ? new URL(callback).searchParams.get('ledgerId') : null;
  } catch {
    // a malformed callback URL: recorded without a ledger id
  }
  return { ledgerId, journeyId: null, step: null };
}
