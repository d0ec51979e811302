/**
 * Structured JSON logs (pino), one object per line on stdout. Personal data and secrets are redacted by path, whatever
 * code logs them: an order, a message's recipient, a config with its keys all come out as "[redacted]".
 */
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Customers' contact details, wherever they sit up to three levels deep (`{ order }`, `{ input: { order } }`, `{ args:
 * [{ order }] }`).
 */
const PERSONAL = ['email', 'phone', 'to', 'recipient', 'address', 'from'];
/** Credentials and keys, as the config and the providers name them. */
const SECRETS = [
  'apiKey',
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
  /**
   * Where lines go; stdout by default, written asynchronously (a request does not wait for its log line to reach the
   * pipe; pino flushes what is pending when the process exits). Tests pass a stream to read what was logged.
   */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'order-journeys',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

export type { Logger };
