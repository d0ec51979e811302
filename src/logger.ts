/**
 * Structured JSON logs (pino), one object per line on stdout. Personal data and secrets are redacted by key, whatever
 * code logs them: an order, a message's recipient, a config with its keys all come out as "[redacted]".
 */
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Customers' contact details, wherever they sit up to three levels deep (`{ order }`, `{ input: { order } }`, `{ args:
 * [{ order }] }`).
 */
const PERSONAL = ['email', 'phone', 'to', 'recipient', 'address', 'shippingAddress', 'from'];
/** Credentials and keys, as the config and the providers name them. */
const SECRETS = [
  'apiKey',
  'apiSecret',
  'apiKeys',
  'authToken',
  'password',
  'secret',
  'token',
  'webhookSecret',
  'encryptionKeys',
  'databaseUrl',
  'authorization',
  'cookie',
];

/** Redacted wherever they sit, a key of one of these names up to three levels below the line's top. */
export const REDACTED_KEYS = new Set([...PERSONAL, ...SECRETS, 'x-twilio-signature']);
const MAX_DEPTH = 3;
const CENSOR = '[redacted]';
/** A line that might hold one: a redacted key's name as a JSON key anywhere in it. */
const MAYBE_REDACTED = new RegExp(`"(?:${[...REDACTED_KEYS].join('|')})":`);
const NAME_KEY = /"name":/g;

/**
 * The line as written, with every redacted key's value replaced, at the top level and up to three levels down
 * (`{ order }`, `{ input: { order } }`, `{ args: [{ order }] }`); people's names too, below the top level, where the
 * top-level `name` is the logger's own. It works on the finished line, after every serializer, so errors' fields and
 * child loggers' bindings are covered alike. A line with none of those keys (most lines: requests, timings) is not
 * parsed at all. pino's own redaction, by ~90 wildcard paths, cost over ten times as much per line, on every line
 * (`npm run bench:log-line`).
 */
export function redactLine(line: string): string {
  if (!MAYBE_REDACTED.test(line) && (line.match(NAME_KEY)?.length ?? 0) <= 1) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line; // pino writes JSON; anything else is not ours to rewrite
  }
  redactIn(parsed, 0);
  return `${JSON.stringify(parsed)}\n`;
}

/** Redacts the keys of `value` (at `depth`) and, below MAX_DEPTH, of what they hold; arrays' items count as a level. */
function redactIn(value: unknown, depth: number): void {
  if (Array.isArray(value)) {
    if (depth < MAX_DEPTH) for (const item of value) redactIn(item, depth + 1);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (REDACTED_KEYS.has(key) || (key === 'name' && depth > 0)) object[key] = CENSOR;
    else if (depth < MAX_DEPTH) redactIn(object[key], depth + 1);
  }
}

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; stdout by default (bufferedStdout below). Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'order-journeys',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      hooks: { streamWrite: redactLine },
    },
    options.destination ?? bufferedStdout(),
  );
}

/**
 * Stdout, written asynchronously in chunks of at least 4 KiB (one write call per chunk instead of per line: under load
 * the per-line writes were about a tenth of the API's CPU) and at least every half second, so a quiet process's lines
 * still show at once to a person watching; pino flushes what is pending when the process exits.
 */
function bufferedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => stream.flush(), 500).unref();
  return stream;
}

export type { Logger };
