/**
 * The message catalogues: one JSON file per locale in sources/locales/, read once, checked against the schema below and
 * kept in memory. Each string is a mustache template over plain values (no HTML: the layouts escape what they show).
 *
 * Variables each string may use (anything else is an error, caught by the tests for every locale):
 * - every message: `shop`, `orderId`;
 * - confirmation: `total`, `earliest`, `latest`, `window` (the short range in the SMS), `placedAt`;
 * - shipped, out_for_delivery, ready_for_pickup, delivered, delivery_problem, tracking_stalled: `carrier`,
 *   `trackingNumber`, `items`;
 * - unboxing_tips, review_request, review_reminder, bad_review_apology: `items` (the names as a list: "A, B and C");
 * - replenishment_reminder: `item`;  return_accepted, refund_confirmed: `rmaId`, `items`;
 * - anniversary: `years`; loyalty_tier: `tier`; birthday.offer, loyalty_tier.offer: `offerCode` (and no others);
 *   win_back, win_back_reminder: nothing more;
 * - return_accepted.withLabel (a prepaid label was bought): `rmaId`, `items`, `carrier`, `trackingNumber`; its
 *   smsLink: `link` (and no others);
 * - smsLink (review_request, review_reminder, replenishment_reminder): `link` (and no others);
 * - common.greeting: `name`; support/supportWithPhone: `email`, `phone`; smsHelp: `email` (and no others);
 *   itemLine: `quantity`, `name` (and no others); unboxing_tips.tipLine: `name`, `tip` (and no others).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import { z } from 'zod';
import type { MessageType } from '../domain/message-types';
import { LOCALES, type Locale } from './locale';

const text = z.string().trim().min(1);
const base = { subject: text, paragraphs: z.array(text).min(1), sms: text };
/**
 * Messages whose point is a link: the SMS ends with `smsLink` ("Review it: {{link}}"), left out whole when it cannot
 * fit.
 */
const withButton = { ...base, button: text, smsLink: text };

/** The copy of each message type: one entry per MessageType, or this does not compile. */
const messageCopy = {
  confirmation: z.strictObject({ ...base, total: text, expectedDelivery: text, orderDate: text, related: text }),
  shipped: z.strictObject(base),
  out_for_delivery: z.strictObject(base),
  ready_for_pickup: z.strictObject(base),
  delivered: z.strictObject(base),
  delivery_problem: z.strictObject({
    ...base,
    problems: z.strictObject({ attempt_failed: text, exception: text, returned_to_sender: text }),
  }),
  tracking_stalled: z.strictObject(base),
  unboxing_tips: z.strictObject({
    ...base,
    tipLine: text,
    tips: z.strictObject({ cosmetics: text, industrial: text, other: text }),
  }),
  review_request: z.strictObject(withButton),
  review_reminder: z.strictObject(withButton),
  bad_review_apology: z.strictObject(base),
  replenishment_reminder: z.strictObject(withButton),
  return_accepted: z.strictObject({
    ...base,
    /**
     * With a prepaid label: the paragraph instead of the plain instructions (the second one), the button to print it,
     * and the SMS (which says where the label is: its link, `smsLink`, is left out whole when it cannot fit).
     */
    withLabel: z.strictObject({ paragraph: text, button: text, sms: text, smsLink: text }),
  }),
  refund_confirmed: z.strictObject(base),
  cancellation: z.strictObject(base),
  birthday: z.strictObject({ ...base, offer: text }),
  anniversary: z.strictObject(base),
  win_back: z.strictObject(base),
  win_back_reminder: z.strictObject(base),
  loyalty_tier: z.strictObject({ ...base, offer: text }),
} satisfies Record<MessageType, z.ZodType<{ subject: string; paragraphs: string[]; sms: string }>>;

const catalogueSchema = z.strictObject({
  /** The language's own name, for people choosing a preview. */
  language: text,
  common: z.strictObject({
    greeting: text,
    greetingNoName: text,
    itemLine: text,
    orderLine: text,
    support: text,
    supportWithPhone: text,
    marketingReason: text,
    unsubscribe: text,
    trackParcel: text,
    smsHelp: text,
  }),
  messages: z.strictObject(messageCopy),
});

export type Catalogue = z.infer<typeof catalogueSchema>;

export const SOURCES_DIR = path.join(__dirname, 'sources');

const loaded = new Map<Locale, Catalogue>();

/**
 * The catalogue of `locale`, read and checked on first use. A broken file fails loudly, naming the file and the key.
 */
export function catalogue(locale: Locale): Catalogue {
  let found = loaded.get(locale);
  if (!found) {
    const file = path.join(SOURCES_DIR, 'locales', `${locale}.json`);
    const parsed = catalogueSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`message catalogue ${file} is invalid: ${problems}`);
    }
    found = parsed.data;
    loaded.set(locale, found);
  }
  return found;
}

export function allCatalogues(): Record<Locale, Catalogue> {
  return Object.fromEntries(LOCALES.map((l) => [l, catalogue(l)])) as Record<Locale, Catalogue>;
}

export type CopyValues = Record<string, string | number>;

export interface FillOptions {
  /**
   * Wraps each value in Unicode bidi isolates (FSI … PDI), as Fluent and ICU do for right-to-left text: without them an
   * Arabic sentence moves the "+" of "+371…", or the punctuation around an order number, to the wrong side.
   */
  isolate?: boolean;
}

/**
 * Fills one catalogue string. Plain text in, plain text out (no escaping: the HTML layout escapes). A variable the
 * string names but `values` lacks is a mistake in the catalogue, so it throws instead of printing nothing.
 */
export function fill(template: string, values: CopyValues, options: FillOptions = {}): string {
  for (const name of variablesOf(template)) {
    if (!(name in values))
      throw new Error(
        `template "${template}" uses {{${name}}}, which is not offered here (offered: ${Object.keys(values).join(', ')})`,
      );
  }
  const escape = options.isolate
    ? (value: string) => (value ? `\u2068${value}\u2069` : value)
    : (value: string) => value;
  const text = Mustache.render(template, values, {}, { escape });
  // A value ending in an abbreviation's period ("23. nov.") at the end of a sentence: one period ends both.
  return text.replace(/(?<!\.)\.\.(?!\.)/g, '.');
}

/** Every variable name a template refers to, sections included. */
export function variablesOf(template: string): string[] {
  const names = new Set<string>();
  const walk = (tokens: unknown[][]) => {
    for (const token of tokens) {
      const [type, value, , , children] = token as [string, string, number, number, unknown[][] | undefined];
      if (['name', '&', '#', '^'].includes(type) && value !== '.') names.add(value.split('.')[0]!);
      if (children) walk(children);
    }
  };
  walk(Mustache.parse(template));
  return [...names];
}
