/**
 * Every SMS of every type stays within two segments in every locale, by design: the copy is short enough that ordinary
 * data fits whole, long data (long names, long tracking links) gives way in a fixed order, and nothing can make an
 * SMS longer than two segments.
 */
import {
  LOCALES,
  MESSAGE_TYPES,
  renderSms,
  sampleMessage,
  type CustomerMessage,
  type MessageType,
  type ShopDetails,
} from '../../src/templates';
import { gsmFriendly } from '../../src/templates/sms';
import { smsLength, smsSegments } from '../../src/templates/sms-segments';
import { SHOP } from './shop';

const cases = LOCALES.flatMap((locale) => MESSAGE_TYPES.map((type) => [locale, type] as const));

/** Replaces every name, id and link of the sample with the given ones. */
function withData(
  message: CustomerMessage,
  data: { orderId: string; itemName: string; trackingUrl: string; rmaId: string },
): CustomerMessage {
  const copy = structuredClone(message) as CustomerMessage & { data: Record<string, unknown> };
  const d = copy.data as Record<string, unknown> & { order: { orderId: string } };
  d.order.orderId = data.orderId;
  if (Array.isArray(d.items))
    d.items = (d.items as { name: string }[]).map((i, n) => ({ ...i, name: `${data.itemName} ${n + 1}` }));
  if (d.item) d.item = { ...d.item, name: data.itemName };
  if ('trackingUrl' in d) d.trackingUrl = data.trackingUrl;
  if ('rmaId' in d) d.rmaId = data.rmaId;
  return copy;
}

/** What the SMS is for: the tracking, review or reorder link, else (null) the order or return number. One per type. */
const LINKED = {
  confirmation: null,
  shipped: 'tracking',
  out_for_delivery: 'tracking',
  ready_for_pickup: 'tracking',
  delivered: null,
  delivery_problem: null, // their longer copy leaves no room for the link in some languages: it goes when it fits
  tracking_stalled: null,
  unboxing_tips: null,
  review_request: 'review',
  review_reminder: 'review',
  bad_review_apology: null,
  replenishment_reminder: 'reorder',
  return_accepted: null,
  refund_confirmed: null,
  cancellation: null,
  birthday: null, // the offer code, when there is one, is its tail
  anniversary: null,
  win_back: null,
  win_back_reminder: null,
  loyalty_tier: null,
} satisfies Record<MessageType, 'tracking' | 'review' | 'reorder' | null>;

describe('an ordinary SMS (sample data: a 78-character DHL tracking link) fits whole', () => {
  it.each(cases)('%s %s', (locale, type) => {
    const text = renderSms(sampleMessage(type, locale), SHOP);
    expect(smsSegments(text)).toBeLessThanOrEqual(2);
    expect(text.startsWith(`${SHOP.name}: `)).toBe(true);
    const link = LINKED[type];
    if (link === 'tracking')
      expect(text).toContain('https://www.dhl.com/lv-en/home/tracking.html?tracking-id=JD014600006281230704');
    if (link === 'review') expect(text).toContain('https://shop.example/reviews/new?order=A-100234');
    if (link === 'reorder') expect(text).toContain('https://shop.example/reorder?sku=SERUM-30');
    expect(text).not.toMatch(/(\.\.\.|…)$/); // never cut
  });
});

describe('a long SMS (long shop and product names, long order numbers and tracking links) gives way, never past 2 segments', () => {
  const longShop: ShopDetails = {
    ...SHOP,
    name: 'Ziemeļu Dabas Kosmētika un Mājas Preces',
    url: 'https://www.ziemelu-dabas-kosmetika-un-majas-preces.example',
  };
  const long = {
    orderId: 'LV-2026-11-000123456',
    itemName: 'Hyaluronic acid & vitamin C brightening serum with niacinamide, 30 ml, fragrance-free',
    trackingUrl:
      'https://www.dhl.com/lv-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=JVGL06123456789012345678',
    rmaId: 'RMA-2026-11-000987',
  };

  it.each(cases)('%s %s', (locale, type) => {
    const message = withData(sampleMessage(type, locale), long);
    const text = renderSms(message, longShop);
    const { segments } = smsLength(text);
    expect(segments).toBeLessThanOrEqual(2);
    expect(text).not.toMatch(/(\.\.\.|…)$/); // gave way by design, not by cutting
    // What the SMS is for; lifecycle messages are about the customer, not an order (a win-back has nothing to keep).
    const essentials: Partial<Record<MessageType, string | null>> = {
      replenishment_reminder: 'Hyaluronic',
      refund_confirmed: long.rmaId,
      return_accepted: long.rmaId, // with a label: the return's and its tracking number (the order's in the email)
      birthday: 'BDAY-15',
      anniversary: '2',
      loyalty_tier: 'silver',
      win_back: null,
      win_back_reminder: null,
    };
    const essential = type in essentials ? essentials[type] : long.orderId;
    if (essential) expect(text).toContain(essential);
  });
});

describe('an absurd SMS (64-character ids, 200-character names, a 300-character link) is still cut to 2 segments', () => {
  const absurd = {
    orderId: `ORD-${'9'.repeat(60)}`,
    itemName: 'Ж'.repeat(200),
    trackingUrl: `https://tracking.example/${'x'.repeat(280)}`,
    rmaId: `RMA-${'7'.repeat(96)}`,
  };
  const absurdShop: ShopDetails = { ...SHOP, name: 'S'.repeat(120), supportEmail: `${'a'.repeat(60)}@example.com` };

  it.each(cases)('%s %s', (locale, type) => {
    const text = renderSms(withData(sampleMessage(type, locale), absurd), absurdShop);
    expect(smsSegments(text)).toBeLessThanOrEqual(2);
    expect(text.length).toBeGreaterThan(50);
  });
});

describe('GSM-7 where the words allow it', () => {
  it('keeps the English confirmation in GSM-7 though Intl writes no-break spaces and dashes in its dates', () => {
    const text = renderSms(sampleMessage('confirmation', 'en'), SHOP);
    expect(smsLength(text).encoding).toBe('GSM-7');
    expect(text).toContain('(€59.90)');
    expect(text).toContain('Nov 23 - 25');
  });

  it('plains look-alikes only when that makes the whole text GSM-7', () => {
    expect(gsmFriendly('Delivery: Nov\u00A023\u2009–\u200925 “fast”…')).toBe('Delivery: Nov 23 - 25 "fast"...');
    expect(gsmFriendly('Piegāde: 23.–25. nov.')).toBe('Piegāde: 23.–25. nov.'); // "ā" needs UCS-2 anyway: keep the dash
  });
});
