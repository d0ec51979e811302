/**
 * What each message says, in the customer's language: the catalogue's copy filled with the message's data, as the view
 * the email layouts show and the parts an SMS is made of. Formatting (money, dates, lists) happens here, with Intl.
 */
import { isMarketing } from '../domain/message-kinds';
import { catalogue, fill, type Catalogue, type CopyValues } from './catalogue';
import type { EmailView } from './email-layout';
import { formatDate, formatDateTime, formatList, formatMoney, formatShortDateRange } from './format';
import { resolveLocale, type ResolvedLocale } from './locale';
import { shortenTo, type NameLimit, type SmsParts } from './sms';
import type { CustomerMessage, ItemRef, RenderOptions, ShopDetails } from './types';

type Message<T extends CustomerMessage['messageType']> = Extract<CustomerMessage, { messageType: T }>;

const DEFAULT_SHOP_URL = 'https://shop.example';

/** The parts of an email particular to one message; the frame (greeting, footer) is added by `emailView`. */
interface Body {
  subject: string;
  paragraphs: string[];
  list?: string[];
  receipt?: EmailView['receipt'];
  notes?: string[];
  button?: { label: string; url: string | undefined };
  related?: EmailView['related'];
}

interface Context {
  copy: Catalogue;
  locale: ResolvedLocale;
  shop: ShopDetails;
  /** Values every string of this message may use. */
  values: CopyValues;
  /** Fills a string for the email (values bidi-isolated in right-to-left languages). */
  say: (template: string, values?: CopyValues) => string;
}

export function emailView(message: CustomerMessage, shop: ShopDetails, options: RenderOptions = {}): EmailView {
  const ctx = context(message, shop);
  const { copy, locale, say } = ctx;
  const { order } = message.data;
  const body = emailBody(message, ctx);
  const support = shop.supportPhone
    ? say(copy.common.supportWithPhone, { email: shop.supportEmail, phone: shop.supportPhone })
    : say(copy.common.support, { email: shop.supportEmail });
  const button = body.button && safeLink(body.button.url);
  return {
    lang: locale.intlLocale,
    dir: locale.dir,
    subject: body.subject,
    preheader: body.paragraphs[0] ?? body.subject,
    shopName: shop.name,
    greeting: order.name ? say(copy.common.greeting, { name: order.name }) : copy.common.greetingNoName,
    paragraphs: body.paragraphs,
    list: body.list?.length ? { items: body.list } : null,
    receipt: body.receipt ?? null,
    notes: body.notes ?? [],
    button: body.button && button ? { label: body.button.label, url: button } : null,
    related: body.related ?? null,
    orderLine: say(copy.common.orderLine),
    support,
    marketing: isMarketing(message.messageType)
      ? {
          reason: say(copy.common.marketingReason),
          postalAddress: shop.postalAddress ?? null,
          unsubscribeLabel: copy.common.unsubscribe,
          unsubscribeUrl: options.unsubscribeUrl ?? shop.unsubscribeUrl ?? `${shopUrl(shop)}/unsubscribe`,
        }
      : null,
  };
}

export function smsParts(message: CustomerMessage, shop: ShopDetails): SmsParts {
  const ctx = context(message, shop);
  const { copy, values } = ctx;
  const sms = copy.messages[message.messageType].sms;
  switch (message.messageType) {
    case 'confirmation': {
      const more = confirmationValues(message, ctx);
      return {
        prefix: shop.name,
        body: () => fill(sms, { ...values, ...more }),
        tail: fill(copy.common.smsHelp, { email: shop.supportEmail }),
      };
    }
    case 'shipped':
    case 'out_for_delivery':
    case 'ready_for_pickup':
    case 'delivered':
    case 'delivery_problem':
    case 'tracking_stalled': {
      const data = message.data;
      const link = message.messageType === 'delivered' ? undefined : safeLink(data.trackingUrl);
      return {
        prefix: shop.name,
        body: (limit) => fill(sms, { ...values, ...parcelValues(data, ctx, limit) }),
        tail: link,
      };
    }
    case 'review_request':
    case 'review_reminder': {
      const tail = fill(copy.messages[message.messageType].smsLink, { link: reviewUrl(message, shop) });
      return {
        prefix: shop.name,
        body: (limit) => fill(sms, { ...values, items: itemNames(message.data.items, ctx, limit) }),
        tail,
      };
    }
    case 'replenishment_reminder': {
      const tail = fill(copy.messages.replenishment_reminder.smsLink, { link: reorderUrl(message, shop) });
      return {
        prefix: shop.name,
        body: (limit) =>
          fill(sms, { ...values, item: shortenTo(message.data.item.name, limit?.maxName, limit?.ellipsis ?? '…') }),
        tail,
      };
    }
    case 'unboxing_tips':
    case 'bad_review_apology':
      return {
        prefix: shop.name,
        body: (limit) => fill(sms, { ...values, items: itemNames(message.data.items, ctx, limit) }),
      };
    case 'return_accepted': {
      const { label } = message.data;
      const items = (limit?: NameLimit) => itemNames(message.data.items, ctx, limit);
      if (!label)
        return {
          prefix: shop.name,
          body: (limit) => fill(sms, { ...values, rmaId: message.data.rmaId, items: items(limit) }),
        };
      const withLabel = copy.messages.return_accepted.withLabel;
      const link = safeLink(label.url);
      return {
        prefix: shop.name,
        body: (limit) => fill(withLabel.sms, { ...values, ...labelValues(message, ctx, limit) }),
        tail: link && fill(withLabel.smsLink, { link }),
      };
    }
    case 'refund_confirmed':
      return {
        prefix: shop.name,
        body: (limit) =>
          fill(sms, { ...values, rmaId: message.data.rmaId, items: itemNames(message.data.items, ctx, limit) }),
      };
    case 'cancellation':
      return { prefix: shop.name, body: () => fill(sms, values) };
    case 'win_back':
    case 'win_back_reminder':
      return { prefix: shop.name, body: () => fill(sms, values) };
    case 'anniversary':
      return { prefix: shop.name, body: () => fill(sms, { ...values, years: message.data.years }) };
    case 'birthday':
    case 'loyalty_tier': {
      const { offerCode } = message.data;
      const more: CopyValues = message.messageType === 'loyalty_tier' ? { tier: message.data.tier } : {};
      return {
        prefix: shop.name,
        body: () => fill(sms, { ...values, ...more }),
        tail: offerCode ? fill(copy.messages[message.messageType].offer, { offerCode }) : undefined,
      };
    }
  }
}

function context(message: CustomerMessage, shop: ShopDetails): Context {
  const locale = resolveLocale(message.data.order.locale);
  const values = { shop: shop.name, orderId: message.data.order.orderId };
  const say = (template: string, more: CopyValues = {}) =>
    fill(template, { ...values, ...more }, { isolate: locale.dir === 'rtl' });
  return { copy: catalogue(locale.locale), locale, shop, values, say };
}

function emailBody(message: CustomerMessage, ctx: Context): Body {
  const { copy, say } = ctx;
  switch (message.messageType) {
    case 'confirmation':
      return confirmation(message, ctx);
    case 'shipped':
    case 'out_for_delivery':
    case 'ready_for_pickup':
    case 'delivered':
    case 'tracking_stalled': {
      const copyOf = copy.messages[message.messageType];
      const more = parcelValues(message.data, ctx);
      return {
        subject: say(copyOf.subject, more),
        paragraphs: copyOf.paragraphs.map((p) => say(p, more)),
        list: message.messageType === 'shipped' ? itemLines(message.data.items, ctx) : undefined,
        button:
          message.messageType === 'delivered'
            ? undefined
            : { label: copy.common.trackParcel, url: message.data.trackingUrl },
      };
    }
    case 'delivery_problem': {
      const copyOf = copy.messages.delivery_problem;
      const more = parcelValues(message.data, ctx);
      return {
        subject: say(copyOf.subject, more),
        paragraphs: [say(copyOf.problems[message.data.status], more), ...copyOf.paragraphs.map((p) => say(p, more))],
        button: { label: copy.common.trackParcel, url: message.data.trackingUrl },
      };
    }
    case 'unboxing_tips': {
      const copyOf = copy.messages.unboxing_tips;
      const more = { items: itemNames(message.data.items, ctx) };
      const tip = (item: ItemRef) => copyOf.tips[careCategory(item.category)];
      return {
        subject: say(copyOf.subject, more),
        paragraphs: copyOf.paragraphs.map((p) => say(p, more)),
        list: message.data.items.map((item) =>
          fill(copyOf.tipLine, { name: item.name, tip: tip(item) }, { isolate: ctx.locale.dir === 'rtl' }),
        ),
      };
    }
    case 'review_request':
    case 'review_reminder': {
      const copyOf = copy.messages[message.messageType];
      const more = { items: itemNames(message.data.items, ctx) };
      return {
        subject: say(copyOf.subject, more),
        paragraphs: copyOf.paragraphs.map((p) => say(p, more)),
        list: message.data.items.map((i) => i.name),
        button: { label: copyOf.button, url: reviewUrl(message, ctx.shop) },
      };
    }
    case 'bad_review_apology': {
      const copyOf = copy.messages.bad_review_apology;
      const more = { items: itemNames(message.data.items, ctx) };
      return { subject: say(copyOf.subject, more), paragraphs: copyOf.paragraphs.map((p) => say(p, more)) };
    }
    case 'replenishment_reminder': {
      const copyOf = copy.messages.replenishment_reminder;
      const more = { item: message.data.item.name };
      return {
        subject: say(copyOf.subject, more),
        paragraphs: copyOf.paragraphs.map((p) => say(p, more)),
        button: { label: copyOf.button, url: reorderUrl(message, ctx.shop) },
      };
    }
    case 'return_accepted': {
      const copyOf = copy.messages.return_accepted;
      const { label } = message.data;
      if (!label) return returnBody(message, ctx);
      const more = labelValues(message, ctx);
      return {
        subject: say(copyOf.subject, more),
        paragraphs: [say(copyOf.paragraphs[0]!, more), say(copyOf.withLabel.paragraph, more)],
        list: itemLines(message.data.items, ctx),
        button: { label: copyOf.withLabel.button, url: label.url },
      };
    }
    case 'refund_confirmed':
      return returnBody(message, ctx);
    case 'cancellation': {
      const copyOf = copy.messages.cancellation;
      return { subject: say(copyOf.subject), paragraphs: copyOf.paragraphs.map((p) => say(p)) };
    }
    case 'win_back':
    case 'win_back_reminder': {
      const copyOf = copy.messages[message.messageType];
      return { subject: say(copyOf.subject), paragraphs: copyOf.paragraphs.map((p) => say(p)) };
    }
    case 'anniversary': {
      const copyOf = copy.messages.anniversary;
      const more = { years: message.data.years };
      return { subject: say(copyOf.subject, more), paragraphs: copyOf.paragraphs.map((p) => say(p, more)) };
    }
    case 'birthday':
    case 'loyalty_tier': {
      const copyOf = copy.messages[message.messageType];
      const { offerCode } = message.data;
      const more: CopyValues = message.messageType === 'loyalty_tier' ? { tier: message.data.tier } : {};
      return {
        subject: say(copyOf.subject, more),
        paragraphs: [
          ...copyOf.paragraphs.map((p) => say(p, more)),
          ...(offerCode ? [say(copyOf.offer, { offerCode })] : []),
        ],
      };
    }
  }
}

/** A return's message without a label: the RMA, the items, and the plain instructions. */
function returnBody(message: Message<'return_accepted' | 'refund_confirmed'>, ctx: Context): Body {
  const { copy, say } = ctx;
  const copyOf = copy.messages[message.messageType];
  const more = { rmaId: message.data.rmaId, items: itemNames(message.data.items, ctx) };
  return {
    subject: say(copyOf.subject, more),
    paragraphs: copyOf.paragraphs.map((p) => say(p, more)),
    list: itemLines(message.data.items, ctx),
  };
}

/** The label's values for the copy: the RMA, the items, the carrier and the return's tracking number. */
function labelValues(message: Message<'return_accepted'>, ctx: Context, limit?: NameLimit): CopyValues {
  const { rmaId, items, label } = message.data;
  return {
    rmaId,
    items: itemNames(items, ctx, limit),
    carrier: (label?.carrier ?? '').toUpperCase(),
    trackingNumber: label?.trackingNumber ?? '',
  };
}

function confirmationValues({ data: { order, deliveryWindow } }: Message<'confirmation'>, { locale }: Context) {
  return {
    total: formatMoney(order.total, order.currency, locale.intlLocale),
    earliest: formatDate(deliveryWindow.earliest, locale.intlLocale),
    latest: formatDate(deliveryWindow.latest, locale.intlLocale),
    window: formatShortDateRange(deliveryWindow.earliest, deliveryWindow.latest, locale.intlLocale),
    placedAt: order.placedAt ? formatDateTime(order.placedAt, locale.intlLocale, order.timeZone) : '',
  };
}

function confirmation(message: Message<'confirmation'>, ctx: Context): Body {
  const { copy, locale } = ctx;
  const { order } = message.data;
  const copyOf = copy.messages.confirmation;
  const money = (amount: string) => formatMoney(amount, order.currency, locale.intlLocale);
  const more = confirmationValues(message, ctx);
  const say = (template: string) => ctx.say(template, more);
  const related = order.relatedProducts ?? [];
  return {
    subject: say(copyOf.subject),
    paragraphs: copyOf.paragraphs.map(say),
    receipt: {
      lines: order.items.map((item) => ({
        label: fill(copy.common.itemLine, { quantity: item.quantity, name: item.name }),
        amount: money(item.unitPrice),
      })),
      totalLabel: copyOf.total,
      total: more.total,
    },
    notes: [say(copyOf.expectedDelivery), ...(order.placedAt ? [say(copyOf.orderDate)] : [])],
    related: related.length
      ? { heading: copyOf.related, links: related.map((p) => ({ label: p.name, url: safeLink(p.url) ?? null })) }
      : null,
  };
}

function parcelValues(data: Message<'shipped'>['data'], ctx: Context, limit?: NameLimit): CopyValues {
  return {
    carrier: data.carrier.toUpperCase(),
    trackingNumber: data.trackingNumber,
    items: itemNames(data.items, ctx, limit),
  };
}

/** "2 × Vitamin C serum" for several of a kind, else just the name. */
function itemLines(items: ItemRef[], ctx: Context): string[] {
  return items.map((i) =>
    i.quantity && i.quantity > 1 ? fill(ctx.copy.common.itemLine, { quantity: i.quantity, name: i.name }) : i.name,
  );
}

/** The names as a sentence lists them; in an SMS short of room, each shortened to `limit`. */
function itemNames(items: ItemRef[], ctx: Context, limit?: NameLimit): string {
  return formatList(
    items.map((i) => shortenTo(i.name, limit?.maxName, limit?.ellipsis ?? '…')),
    ctx.locale.intlLocale,
  );
}

function careCategory(category: string | undefined): 'cosmetics' | 'industrial' | 'other' {
  const c = category?.toLowerCase();
  return c === 'cosmetics' || c === 'industrial' ? c : 'other';
}

function shopUrl(shop: ShopDetails): string {
  return (shop.url ?? DEFAULT_SHOP_URL).replace(/\/+$/, '');
}

function reviewUrl(message: Message<'review_request' | 'review_reminder'>, shop: ShopDetails): string {
  return `${shopUrl(shop)}/reviews/new?order=${encodeURIComponent(message.data.order.orderId)}`;
}

function reorderUrl(message: Message<'replenishment_reminder'>, shop: ShopDetails): string {
  return `${shopUrl(shop)}/reorder?sku=${encodeURIComponent(message.data.item.sku)}`;
}

/** Only http(s) links reach a customer: anything else (javascript:, data:, a typo) is left out. */
function safeLink(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
