/**
 * Stand-ins for SendGrid and Twilio, and for their failover providers Resend and Vonage, on 127.0.0.1 that record every
 * request with the ledger id it carries. Duplicates are counted here, where a customer would see them: the outbox's
 * unique key would hide a second send.
 *
 * Each stub answers like the real API (SendGrid: 202 + X-Message-Id; Twilio: 201 + a message resource; Resend: 200 +
 * the email's id, the first email's again for a repeated Idempotency-Key, as Resend does; Vonage: 200 + a message
 * with status "0") unless it is in an outage, when it answers 503 and 429 in turn, in the provider's own error format.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProviderName = 'sendgrid' | 'twilio' | 'resend' | 'vonage';

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
  /** Resend: a repeated Idempotency-Key, answered with the first email (no second email reaches the customer). */
  idempotentRepeat?: boolean;
}

export interface ProviderStub {
  readonly name: ProviderName;
  readonly url: string;
  readonly requests: ProviderRequest[];
  /** Twilio: message-list requests (a retry of an unanswered SMS looking for it); not counted in `requests`. */
  readonly lookups: number;
  /** Until `until` (epoch ms) answer 503 / 429 alternately. */
  startOutage(until: number): void;
  endOutage(): void;
  stop(): Promise<void>;
}

export async function startProviderStub(name: ProviderName): Promise<ProviderStub> {
  const requests: ProviderRequest[] = [];
  let outageUntil = 0;
  let refusals = 0;
  let lookups = 0;
  /** Resend's emails by idempotency key (the ledger id). */
  const emailIds = new Map<string, string>();

  /** Twilio's messages, newest last, for the list a retry of an unanswered SMS asks for. */
  const smsTaken: TakenSms[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const inOutage = Date.now() < outageUntil;
      if (req.method === 'GET') {
        // Not a send: Twilio's message list (src/providers/sms/twilio.ts looks there before resending).
        const answer = inOutage ? refusal(name, refusals++) : twilioList(smsTaken, req.url ?? '');
        lookups++;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        return res.end(answer.body);
      }
      const carried = idsOf(name, body, req.headers);
      const repeat = name === 'resend' && !inOutage && carried.ledgerId !== null && emailIds.has(carried.ledgerId);
      const answer = inOutage ? refusal(name, refusals++) : accepted(name, carried.ledgerId, emailIds);
      if (name === 'twilio' && answer.status === 201) smsTaken.push(takenSms(body, answer.body));
      requests.push({
        provider: name,
        ...carried,
        at: Date.now(),
        status: answer.status,
        ...(repeat ? { idempotentRepeat: true } : {}),
      });
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
    get lookups() {
      return lookups;
    },
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

function accepted(name: ProviderName, ledgerId: string | null, emailIds: Map<string, string>): Answer {
  if (name === 'sendgrid')
    return { status: 202, headers: { 'x-message-id': randomBytes(16).toString('base64url') }, body: '' };
  if (name === 'resend') {
    const id = (ledgerId && emailIds.get(ledgerId)) ?? randomBytes(16).toString('hex');
    if (ledgerId) emailIds.set(ledgerId, id);
    return { status: 200, body: JSON.stringify({ id }) };
  }
  if (name === 'vonage') {
    const messageId = randomBytes(8).toString('hex');
    return {
      status: 200,
      body: JSON.stringify({ 'message-count': '1', messages: [{ status: '0', 'message-id': messageId }] }),
    };
  }
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
  if (name === 'resend' || name === 'vonage') {
    return { status: 503, body: JSON.stringify({ statusCode: 503, name: 'internal_server_error', message: 'down' }) };
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

function idsOf(
  name: ProviderName,
  body: string,
  headers: http.IncomingHttpHeaders,
): Pick<ProviderRequest, 'ledgerId' | 'journeyId' | 'step'> {
  if (name === 'sendgrid') return sendGridIds(body);
  if (name === 'twilio') return twilioIds(body);
  if (name === 'resend') {
    const key = headers['idempotency-key'];
    return { ledgerId: typeof key === 'string' ? key : null, journeyId: null, step: null };
  }
  try {
    const ref = (JSON.parse(body) as { 'client-ref'?: string })['client-ref'];
    return { ledgerId: ref ?? null, journeyId: null, step: null };
  } catch {
    return { ledgerId: null, journeyId: null, step: null };
  }
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

interface TakenSms {
  sid: string;
  to: string;
  body: string;
  createdAt: Date;
}

function takenSms(form: string, answer: string): TakenSms {
  const fields = new URLSearchParams(form);
  const { sid } = JSON.parse(answer) as { sid: string };
  return { sid, to: fields.get('To') ?? '', body: fields.get('Body') ?? '', createdAt: new Date() };
}

/** Twilio's list of the messages to one number (`?To=`), newest first, as its Messages API pages them. */
function twilioList(taken: TakenSms[], url: string): Answer {
  const to = new URL(url, 'http://twilio.local').searchParams.get('To');
  const messages = taken
    .filter((m) => m.to === to)
    .reverse()
    .slice(0, 50)
    .map((m) => ({ sid: m.sid, to: m.to, body: m.body, status: 'sent', date_created: m.createdAt.toUTCString() }));
  return { status: 200, body: JSON.stringify({ messages, page: 0, page_size: messages.length, next_page_uri: null }) };
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
