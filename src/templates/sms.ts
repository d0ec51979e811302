/**
 * An SMS is "<shop>: <body> <tail>", and never costs more than two segments, by design:
 * the copy is short (see the catalogues), and when long data (a long shop or product name, a long tracking link) would
 * push it over, it gives way step by step — product names shortened, the shop name shortened, then left out, then the
 * tail (the link or contact, with its words) left out — and only as a last resort is the text cut (with an ellipsis).
 */
import { smsEncoding, smsSegments, truncateToSegments } from './sms-segments';

export const MAX_SMS_SEGMENTS = 2;

export interface NameLimit {
  /** Longest product name, in characters, ellipsis included. */
  maxName: number;
  ellipsis: string;
}

export interface SmsParts {
  /** Who it is from: the shop's name. */
  prefix: string;
  /** The message itself; `limit` shortens the product names in it. */
  body: (limit?: NameLimit) => string;
  /** A link or contact after the body. */
  tail?: string;
}

interface Step {
  maxName?: number;
  maxPrefix?: number;
  tail: boolean;
}

/** From the whole text to the barest; the first that fits is sent. The tail (the link) outlasts the shop's name. */
const STEPS: Step[] = [
  { tail: true },
  { maxName: 32, tail: true },
  { maxName: 32, maxPrefix: 20, tail: true },
  { maxName: 24, maxPrefix: 0, tail: true },
  { maxName: 16, maxPrefix: 0, tail: true },
  { maxName: 16, maxPrefix: 20, tail: false },
  { maxName: 16, maxPrefix: 0, tail: false },
];

export function composeSms(parts: SmsParts): string {
  // "..." keeps a GSM-7 text in GSM-7; "…" would switch all of it to UCS-2 and halve the room.
  const ellipsis = smsEncoding(gsmFriendly(assemble(parts, STEPS[0]!, ''))) === 'GSM-7' ? '...' : '…';
  let text = '';
  for (const step of STEPS) {
    text = gsmFriendly(assemble(parts, step, ellipsis));
    if (smsSegments(text) <= MAX_SMS_SEGMENTS) return text;
  }
  return truncateToSegments(text, MAX_SMS_SEGMENTS);
}

/**
 * Intl and the catalogues write typographic characters GSM-7 lacks (no-break and thin spaces in "€59.90" or
 * "Nov 23 – 25", dashes, curly quotes, "×"). In a text that is otherwise GSM-7 they would make the whole SMS UCS-2,
 * halving its room, so they become their plain look-alikes; a text that needs UCS-2 anyway keeps them.
 */
export function gsmFriendly(text: string): string {
  if (smsEncoding(text) === 'GSM-7') return text;
  const plain = text.replace(LOOK_ALIKES, (c) => LOOK_ALIKE[c] ?? c);
  return smsEncoding(plain) === 'GSM-7' ? plain : text;
}

const LOOK_ALIKE: Record<string, string> = {
  '\u00A0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u200A': ' ',
  '\u202F': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2026': '...',
  '\u00D7': 'x',
  '\u200E': '',
  '\u200F': '',
};
const LOOK_ALIKES = new RegExp(`[${Object.keys(LOOK_ALIKE).join('')}]`, 'g');

function assemble(parts: SmsParts, step: Step, ellipsis: string): string {
  const body = parts.body(step.maxName === undefined ? undefined : { maxName: step.maxName, ellipsis });
  const prefix = shortenTo(parts.prefix, step.maxPrefix, ellipsis);
  const tail = step.tail && parts.tail ? ` ${parts.tail}` : '';
  return `${prefix ? `${prefix}: ` : ''}${body}${tail}`;
}

/** `text` cut to `max` characters (code points), ellipsis included; "" for 0; unchanged without a limit. */
export function shortenTo(text: string, max: number | undefined, ellipsis: string): string {
  if (max === undefined) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= ellipsis.length) return '';
  return `${chars
    .slice(0, max - ellipsis.length)
    .join('')
    .trimEnd()}${ellipsis}`;
}
