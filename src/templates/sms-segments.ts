/**
 * How many SMS segments a text costs, counted the way carriers (and Twilio's segment calculator) count them.
 *
 * - GSM-7, when every character is in the GSM 03.38 default alphabet or its extension table: 160 septets in a single
 *   message, 153 per segment once concatenated (the rest carries the concatenation header). Extension-table characters
 *   (`€ [ ] { } \ ^ ~ |` and form feed) cost 2 septets: an escape and the character.
 * - UCS-2 otherwise (Cyrillic, Arabic, Latvian "ā", Hungarian "ő", emoji…): 70 UTF-16 code units single, 67 per
 *   segment. Characters outside the Basic Multilingual Plane (most emoji) are surrogate pairs and cost 2.
 *
 * Segments are packed greedily: an escape pair or a surrogate pair is never split across two segments, so a text of
 * exactly 306 septets with a "€" on a segment boundary takes 3 segments, as it does on the network.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsLength {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units one segment holds at this length: 160/70 for a single message, 153/67 when concatenated. */
  unitsPerSegment: number;
}

// GSM 03.38 default alphabet (0x1B, the escape to the extension table, is not a character of its own).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS: Record<SmsEncoding, { single: number; concatenated: number }> = {
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
};

/** The encoding a carrier uses for `text`: GSM-7 when it can, UCS-2 when a single character needs it. */
export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) if (!GSM_BASIC.has(char) && !GSM_EXTENSION.has(char)) return 'UCS-2';
  return 'GSM-7';
}

/** The cost of each character (code point) of `text` in `encoding`. */
function unitCosts(text: string, encoding: SmsEncoding): number[] {
  return Array.from(text, (char) => (encoding === 'GSM-7' ? (GSM_EXTENSION.has(char) ? 2 : 1) : char.length));
}

/** Greedy packing: how many segments of `capacity` units hold characters of these costs, none split. */
function packedSegments(costs: number[], capacity: number): number {
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > capacity) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

export function smsLength(text: string): SmsLength {
  const encoding = smsEncoding(text);
  const costs = unitCosts(text, encoding);
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const { single, concatenated } = LIMITS[encoding];
  if (units === 0) return { encoding, units, segments: 0, unitsPerSegment: single };
  if (units <= single) return { encoding, units, segments: 1, unitsPerSegment: single };
  return { encoding, units, segments: packedSegments(costs, concatenated), unitsPerSegment: concatenated };
}

export function smsSegments(text: string): number {
  return smsLength(text).segments;
}

/**
 * The longest start of `text` that, with an ellipsis, fits in `maxSegments`; `text` itself when it fits already.
 * The ellipsis is "..." for a GSM-7 text (a "…" would switch the whole message to UCS-2) and "…" otherwise. Never
 * splits a surrogate pair.
 */
export function truncateToSegments(text: string, maxSegments: number): string {
  if (smsSegments(text) <= maxSegments) return text;
  const ellipsis = smsEncoding(text) === 'GSM-7' ? '...' : '…';
  const chars = Array.from(text);
  // Binary search on the number of characters kept: segments grow monotonically with the prefix length.
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (smsSegments(chars.slice(0, mid).join('').trimEnd() + ellipsis) <= maxSegments) low = mid;
    else high = mid - 1;
  }
  return chars.slice(0, low).join('').trimEnd() + ellipsis;
}
