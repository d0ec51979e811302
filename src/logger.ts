/** Structured JSON logs. Personal data and secrets are redacted by path, whatever code logs them. */
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  '*.email', '*.phone', '*.name', '*.to', '*.recipient',
  '*.*.email', '*.*.phone', '*.*.name', '*.*.to',
  'order.email', 'order.phone', 'order.name',
  '*.apiKey', '*.authToken', '*.password',
];

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'order-journeys',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  });
}

export type { Logger };
