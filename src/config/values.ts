/** Parsers for environment values that several sections share. */
import { z } from 'zod';

/** "a, b,c" → ["a", "b", "c"]. */
export const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
);

export const bool = z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1');

export const port = z.coerce.number().int().min(1).max(65_535);

/** Provider endpoints and callbacks: "localhost:8080" parses as a URL with scheme "localhost:": insist on http(s). */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** A provider quota in messages per second, e.g. "10" or "0.5". */
export const perSecond = z.coerce
  .number({ error: 'must be a number of messages per second' })
  .positive('must be a positive number');
