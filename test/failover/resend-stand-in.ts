/**
 * A stand-in for Resend's POST /emails on 127.0.0.1 that keeps Resend's documented idempotency: a request whose
 * Idempotency-Key was seen before gets the first request's email back instead of a second email. It counts the emails
 * it accepted (what customers would receive) apart from the requests it got, and can be told to swallow the answer to
 * the next request (accepted, answer lost: the ambiguous case).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ResendStandIn {
  url: string;
  /** Every request's Idempotency-Key, in order (repeats included). */
  requests: string[];
  /** Accepted emails by idempotency key: what would reach customers. */
  emails: Map<string, string>;
  /** The next request is accepted but never answered. */
  loseNextAnswer(): void;
  stop(): Promise<void>;
}

export async function startResendStandIn(): Promise<ResendStandIn> {
  const requests: string[] = [];
  const emails = new Map<string, string>();
  let loseNext = false;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      requests.push(key);
      if (!emails.has(key)) emails.set(key, `re-${emails.size + 1}`);
      if (loseNext) {
        loseNext = false;
        return; // accepted; the answer never comes
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: emails.get(key) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    emails,
    loseNextAnswer: () => {
      loseNext = true;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
