/**
 * `npm run bench:log-line` — what a log line costs with the logger's redaction (src/logger.ts: one look at the
 * finished line, parsed only when a redacted key's name is in it) vs pino's own path-based redaction of the same keys
 * at the same depths (the baseline: how the logger redacted before), in the same run, to a sink that drops the lines.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, REDACTED_KEYS } from '../src/logger';
import { ratio } from './load';

/** pino's `redact.paths` for the logger's keys at depths 0–3 (people's names below the top), as they were written. */
const atDepths = (key: string) => [0, 1, 2, 3].map((d) => [...Array<string>(d).fill('*'), key].join('.'));
const PATHS = [
  'req.headers["x-twilio-signature"]',
  ...[...REDACTED_KEYS].filter((k) => k !== 'x-twilio-signature').flatMap(atDepths),
  ...atDepths('name').slice(1),
];

const LINES = 20_000;
const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

const request = () => ({
  req: { id: '7d0c2e0e-1111-2222-3333-444455556666', method: 'POST', path: '/v1/orders' },
  res: { statusCode: 201 },
  responseTime: 12,
});
const sending = () => ({ orderId: 'o-1', to: 'anna@example.com', input: { order: { email: 'anna@example.com' } } });

function usPerLine(logger: pino.Logger, fields: () => object): number {
  for (let i = 0; i < 2_000; i++) logger.info(fields(), 'warm-up');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) logger.info(fields(), 'line');
  return Number(process.hrtime.bigint() - t0) / LINES / 1000;
}

const ours = createLogger({ level: 'info', destination: sink() });
const baseline = pino({ level: 'info', redact: { paths: PATHS, censor: '[redacted]' } }, sink());
console.log(`a log line, ${LINES} each (µs per line: ours · pino's path redaction · ratio):`);
for (const [what, fields] of [
  ['a request (nothing to redact)', request],
  ['a send (a recipient to redact)', sending],
] as const) {
  const [a, b] = [usPerLine(ours, fields), usPerLine(baseline, fields)];
  console.log(`  ${what}: ${a.toFixed(1)} · ${b.toFixed(1)} · ${ratio(a, b)}×`);
}
