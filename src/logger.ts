/**
 * Structured JSON logs (pino), one object per line on stdout. Personal data and secrets are redacted by path, whatever
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

const atDepths = (key: string, depths: number) =>
  Array.from({ length: depths + 1 }, (_, depth) => [...Array<string>(depth).fill('*'), key].join('.'));

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  ...PERSONAL.flatMap((key) => atDepths(key, 3)),
  // People's names; not the top-level `name`, which is the logger's own (item names get redacted too where they sit
  // this shallow).
  ...atDepths('name', 3).slice(1),
  ...SECRETS.flatMap((key) => atDepths(key, 3)),
];

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
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
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
