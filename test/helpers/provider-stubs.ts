/**
 * A tiny stand-in for SendGrid or Twilio on 127.0.0.1, for the answers their published specs do not describe (rate
 * limits, opt-outs, outages): each test scripts the answer in the provider's real error format, and the stub records
 * what the SDK sent so the test can check that side too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  /** Never answer: the client's timeout has to fire. */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ProviderStub {
  url: string;
  /** Every request so far, oldest first. */
  requests: RecordedRequest[];
  answerWith(answer: StubAnswer): void;
  stop(): Promise<void>;
}

export async function startProviderStub(): Promise<ProviderStub> {
  let answer: StubAnswer = { status: 500, body: { message: 'no answer scripted for this test' } };
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (answer.hang) return;
      const body =
        answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answerWith: (next) => {
      answer = next;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections(); // including hung requests and the SDKs' keep-alive sockets
        server.close(() => resolve());
      }),
  };
}

/** Twilio's error body: `{code, message, more_info, status}`. */
export function twilioError(status: number, code: number, message: string): StubAnswer {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

/** SendGrid's error body: `{errors: [{field, message}]}`. */
export function sendGridError(
  status: number,
  errors: { field: string | null; message: string }[],
  headers?: Record<string, string>,
): StubAnswer {
  return { status, headers, body: { errors } };
}
