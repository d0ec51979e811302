/**
 * Renders a customer message for one channel, in the customer's language (order.locale; English when we have not got
 * theirs): email as subject + responsive HTML + plain text, SMS as a text of at most two segments.
 *
 * Sources: sources/locales/<locale>.json (the copy), sources/email.mjml and sources/email.txt.mustache (the frame).
 * All are read once and cached; the MJML layout is compiled once per writing direction, at first use or ahead of it
 * with `prepareTemplates()`.
 */
import { catalogue } from './catalogue';
import { prepareEmailLayouts, renderEmailHtml, renderEmailText } from './email-layout';
import { LOCALES } from './locale';
import { emailView, smsParts } from './messages';
import { composeSms } from './sms';
import { smsLength, type SmsEncoding } from './sms-segments';
import type { CustomerMessage, RenderedEmail, RenderOptions, ShopDetails } from './types';

export function renderEmail(message: CustomerMessage, shop: ShopDetails, options: RenderOptions = {}): RenderedEmail {
  const view = emailView(message, shop, options);
  return { subject: view.subject, html: renderEmailHtml(view), text: renderEmailText(view) };
}

export function renderSms(message: CustomerMessage, shop: ShopDetails): string {
  return composeSms(smsParts(message, shop));
}

export interface RenderedSms {
  text: string;
  segments: number;
  encoding: SmsEncoding;
}

/** The SMS with what it costs: segments and encoding. */
export function renderSmsWithLength(message: CustomerMessage, shop: ShopDetails): RenderedSms {
  const text = renderSms(message, shop);
  const { segments, encoding } = smsLength(text);
  return { text, segments, encoding };
}

/** Reads every catalogue and compiles the email layouts now, without blocking, so no later render waits. */
export async function prepareTemplates(): Promise<void> {
  for (const locale of LOCALES) catalogue(locale);
  await prepareEmailLayouts();
}

export { LOCALES, resolveLocale, type Locale } from './locale';
export { MESSAGE_TYPES, isMessageType } from '../domain/message-types';
export { sampleMessage } from './samples';
export type {
  CustomerMessage,
  MessageType,
  ConfirmationData,
  RenderedEmail,
  RenderOptions,
  ShopDetails,
} from './types';
