/**
 * The API's request line (src/observability/request-logging.ts) on a real express app and real HTTP: one line per
 * answered request at a level by its outcome, none for probes and scrapes, and one for a caller that hangs up before
 * the answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { createLogger } from '../../src/logger';
import { requestLogging } from '../../src/observability/request-logging';

const lines: Record<string, unknown>[] = [];
const logger = createLogger({
  name: 'api',
  destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
});

let hangUp: () => void = () => {};
const app = express();
app.use(requestLogging(logger));
app.get('/healthz', (_req, res) => void res.json({ ok: true }));
app.get('/v1/things/:id', (req, res) => void res.status(req.params.id === 'broken' ? 503 : 200).json({}));
app.get('/v1/slow', () => hangUp()); // never answers: the caller gives up first

const lineOf = (id: string) => lines.filter((l) => (l.req as { id?: string } | undefined)?.id === id);

beforeEach(() => void (lines.length = 0));

it('logs an answered request once, at info, with id, method, path without its query, status and time', async () => {
  await request(app).get('/v1/things/7?email=anna@example.com').set('X-Request-Id', 'rl-1').expect(200);
  expect(lineOf('rl-1')).toEqual([
    expect.objectContaining({
      level: 30,
      msg: 'request completed',
      req: { id: 'rl-1', method: 'GET', path: '/v1/things/7' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    }),
  ]);
  expect(JSON.stringify(lines)).not.toContain('anna@example.com');
});

it('logs a 5xx answer at error', async () => {
  await request(app).get('/v1/things/broken').set('X-Request-Id', 'rl-2').expect(503);
  expect(lineOf('rl-2')).toEqual([
    expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 503 } }),
  ]);
});

it('gives probes an id but no line', async () => {
  const res = await request(app).get('/healthz?full=1').set('X-Request-Id', 'rl-3').expect(200);
  expect(res.headers['x-request-id']).toBe('rl-3');
  expect(lineOf('rl-3')).toEqual([]);
});

it('logs, at warn, a request whose caller hung up before the answer', async () => {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const arrived = new Promise<void>((resolve) => (hangUp = resolve));
    const { port } = server.address() as AddressInfo;
    const call = http.get({ host: '127.0.0.1', port, path: '/v1/slow', headers: { 'X-Request-Id': 'rl-4' } });
    call.on('error', () => {}); // the hang-up below
    await arrived;
    call.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the server sees the socket close
    expect(lineOf('rl-4')).toEqual([
      expect.objectContaining({ level: 40, msg: 'request closed before its answer was sent', req: expect.anything() }),
    ]);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
