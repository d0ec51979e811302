/**
 * Every message type renders in every locale and channel: complete copy (no placeholders, no "undefined"), the order
 * number and support contact in every email, the postal address and a way out in every marketing email, Arabic right
 * to left, money and dates as the customer's locale writes them.
 */
import { isMarketing } from '../../src/domain/message-kinds';
import {
  LOCALES,
  MESSAGE_TYPES,
  renderEmail,
  renderSms,
  sampleMessage,
  type CustomerMessage,
  type MessageType,
} from '../../src/templates';
import { fill } from '../../src/templates/catalogue';
import { layoutMjml } from '../../src/templates/email-layout';
import { compileMjml, compileMjmlInThread, compileMjmlSync } from '../../src/templates/mjml-compiler';
import { smsSegments } from '../../src/templates/sms-segments';
import { plainSpaces, SHOP } from './shop';

const ORDER_ID = 'A-100234';
const LEFTOVERS = [/\{\{/, /\}\}/, /\[\[/, /\]\]/, /undefined/, /\bNaN\b/, /\[object Object\]/, /\bnull\b/];

function expectComplete(text: string) {
  for (const leftover of LEFTOVERS) expect(text).not.toMatch(leftover);
}

const cases = LOCALES.flatMap((locale) => MESSAGE_TYPES.map((type) => [locale, type] as const));

describe.each(cases)('%s %s', (locale, type) => {
  const message = sampleMessage(type, locale);

  it('renders a complete email carrying the order number and the support contact', () => {
    const email = renderEmail(message, SHOP);
    for (const part of [email.subject, email.text, email.html]) {
      expect(part.trim()).not.toBe('');
      expectComplete(part);
    }
    for (const part of [email.text, email.html]) {
      expect(part).toContain(ORDER_ID);
      expect(part).toContain(SHOP.supportEmail);
      expect(part).toContain(SHOP.supportPhone);
    }
    expect(email.html).toMatch(/^<!doctype html>/i);
  });

  it(
    isMarketing(type)
      ? 'adds the postal address and an unsubscribe link (marketing)'
      : 'has no unsubscribe link (transactional)',
    () => {
      const email = renderEmail(message, SHOP);
      if (isMarketing(type)) {
        for (const part of [email.text, email.html]) expect(part).toContain(SHOP.postalAddress);
        expect(email.text).toContain(SHOP.unsubscribeUrl);
        expect(email.html).toContain(`href="${SHOP.unsubscribeUrl}"`);
      } else {
        expect(email.html).not.toContain(SHOP.unsubscribeUrl);
        expect(email.text).not.toContain(SHOP.unsubscribeUrl);
      }
    },
  );

  it('writes right to left in Arabic only', () => {
    const { html } = renderEmail(message, SHOP);
    const dir = locale === 'ar' ? 'rtl' : 'ltr';
    expect(html).toMatch(new RegExp(`<html lang="${locale}" dir="${dir}"`));
    expect(html).toMatch(new RegExp(`role="article" lang="${locale}" dir="${dir}"`)); // the body's wrapper, which Gmail keeps
    expect(html).toContain(`direction:${dir}`);
    expect(html).toContain(`text-align:${locale === 'ar' ? 'right' : 'left'}`);
  });

  it('renders a complete SMS within two segments', () => {
    const sms = renderSms(message, SHOP);
    expectComplete(sms);
    expect(smsSegments(sms)).toBeLessThanOrEqual(2);
    // What the SMS is about: the order, or for the customer's lifecycle messages their offer, tier or years.
    const mustName =
      (
        {
          replenishment_reminder: 'Vitamin C serum 30 ml',
          refund_confirmed: 'RMA-2041',
          birthday: 'BDAY-15',
          anniversary: '2',
          win_back: SHOP.name,
          win_back_reminder: SHOP.name,
          loyalty_tier: 'silver',
          return_accepted: 'RMA-2041', // with its label: the return's number and tracking number
        } as Partial<Record<MessageType, string>>
      )[type] ?? ORDER_ID;
    expect(sms).toContain(mustName);
  });
});

describe('every variant of the copy', () => {
  it.each(LOCALES)('%s: each delivery problem and each care tip has its own words', (locale) => {
    const problems = (['attempt_failed', 'exception', 'returned_to_sender'] as const).map((status) => {
      const message = sampleMessage('delivery_problem', locale) as Extract<
        CustomerMessage,
        { messageType: 'delivery_problem' }
      >;
      const { text } = renderEmail({ ...message, data: { ...message.data, status } }, SHOP);
      expectComplete(text);
      return text;
    });
    expect(new Set(problems).size).toBe(3);

    const tips = renderEmail(
      {
        messageType: 'unboxing_tips',
        data: {
          order: { orderId: ORDER_ID, locale },
          items: ['cosmetics', 'industrial', undefined].map((category, i) => ({
            sku: `S${i}`,
            name: `Item ${i}`,
            category,
          })),
        },
      },
      SHOP,
    );
    expectComplete(tips.text);
    const tipLines = tips.text
      .replace(/[\u2068\u2069]/g, '')
      .split('\n')
      .filter((l) => l.startsWith('- Item'));
    expect(new Set(tipLines.map((l) => l.split(': ')[1])).size).toBe(3);
  });

  it('greets a customer without a name, and leaves out the order date when checkout sent none', () => {
    const message = sampleMessage('confirmation', 'en', { name: undefined }) as Extract<
      CustomerMessage,
      { messageType: 'confirmation' }
    >;
    const { text } = renderEmail(
      { ...message, data: { ...message.data, order: { ...message.data.order, placedAt: undefined } } },
      SHOP,
    );
    expect(text.startsWith('Hi,\n')).toBe(true);
    expect(text).not.toContain('Order date');
    expectComplete(text);
  });
});

describe('locale', () => {
  const subject = (locale: string) => renderEmail(sampleMessage('shipped', locale), SHOP).subject;

  it('speaks the language of a regional tag, and English for a language we do not have', () => {
    expect(subject('lv-LV')).toBe(subject('lv'));
    expect(subject('lv_LV')).toBe(subject('lv'));
    expect(subject('lv')).toBe(`Jūsu pasūtījums ${ORDER_ID} ir ceļā`);
    expect(subject('xx')).toBe(subject('en'));
    expect(subject('de-AT')).toBe(`Your order ${ORDER_ID} is on its way`);
    expect(subject('not a tag!')).toBe(subject('en'));
    expect(renderEmail(sampleMessage('shipped', 'ar-EG'), SHOP).html).toContain('dir="rtl"');
  });

  it('formats money the way each locale writes it', () => {
    const total = (locale: string) => plainSpaces(renderEmail(sampleMessage('confirmation', locale), SHOP).text);
    expect(total('en')).toContain('Total: €59.90');
    expect(total('lv')).toContain('Kopā: 59,90 €');
    expect(total('bg')).toContain('Общо: 59,90 €');
    expect(total('hu')).toContain('Összesen: 59,90 EUR');
    expect(total('ar')).toMatch(/الإجمالي: \S*(59|٥٩)[.,٫](90|٩٠) €/); // Latin or Arabic-Indic digits, as the ICU in use prefers
    expect(plainSpaces(renderSms(sampleMessage('confirmation', 'lv'), SHOP))).toContain('(59,90 €)');
  });

  it('formats calendar dates for the locale, and a regional tag for its region', () => {
    const delivery = (locale: string) =>
      plainSpaces(renderEmail(sampleMessage('confirmation', locale), SHOP).text)
        .split('\n')
        .find((l) => /2026/.test(l) && /25/.test(l));
    expect(delivery('en')).toBe('Expected delivery: Nov 23, 2026 – Nov 25, 2026');
    expect(delivery('en-GB')).toBe('Expected delivery: 23 Nov 2026 – 25 Nov 2026');
    expect(delivery('lv')).toBe('Paredzamā piegāde: 2026. gada 23. nov. – 2026. gada 25. nov.');
    expect(delivery('hu')).toBe('Várható kézbesítés: 2026. nov. 23. – 2026. nov. 25.');
    expect(delivery('bg')).toBe('Очаквана доставка: 23.11.2026 г. – 25.11.2026 г.');
  });

  it("shows when the order was placed in the customer's time zone, and says UTC when it is unknown", () => {
    const orderDate = (timeZone?: string) =>
      plainSpaces(renderEmail(sampleMessage('confirmation', 'en', { timeZone }), SHOP).text)
        .split('\n')
        .find((l) => l.startsWith('Order date'));
    expect(orderDate('Europe/Riga')).toBe('Order date: Nov 20, 2026, 12:15 PM');
    expect(orderDate('America/New_York')).toBe('Order date: Nov 20, 2026, 5:15 AM');
    expect(orderDate(undefined)).toBe('Order date: Nov 20, 2026, 10:15 AM UTC');
    expect(orderDate('Not/AZone')).toBe('Order date: Nov 20, 2026, 10:15 AM UTC');
  });

  it('lists item names as a sentence in the locale', () => {
    const message = (locale: string): CustomerMessage => ({
      messageType: 'bad_review_apology',
      data: {
        order: { orderId: ORDER_ID, locale },
        items: [
          { sku: 'A', name: 'Lamp' },
          { sku: 'B', name: 'Towel' },
        ],
      },
    });
    expect(renderEmail(message('en'), SHOP).text).toContain('your review of Lamp and Towel.');
    expect(renderEmail(message('lv'), SHOP).text).toContain('(Lamp un Towel)');
  });

  it('isolates values in Arabic so phone numbers and order numbers keep their direction', () => {
    const { text } = renderEmail(sampleMessage('cancellation', 'ar'), SHOP);
    expect(text).toContain(`\u2068${SHOP.supportPhone}\u2069`);
    expect(renderEmail(sampleMessage('cancellation', 'en'), SHOP).text).not.toMatch(/[\u2068\u2069]/);
  });
});

describe('links and escaping', () => {
  it('uses the unsubscribe link the sender passes, else the shop’s, else one on the shop’s site', () => {
    const message = sampleMessage('review_request', 'en');
    const signed = 'https://journeys.test-shop.example/v1/unsubscribe?token=abc.def';
    const own = renderEmail(message, SHOP, { unsubscribeUrl: signed });
    expect(own.html).toContain(`href="${signed}"`);
    expect(own.text).toContain(signed);
    const { unsubscribeUrl: _, postalAddress: __, ...bare } = SHOP;
    const legacy = renderEmail(message, bare); // today's two-argument call, a shop without the new details
    expect(legacy.html).toContain('href="https://shop.example/unsubscribe"');
    expect(legacy.text).not.toContain('null');
  });

  it('escapes what customers typed in the HTML, and keeps it as typed in the text', () => {
    const name = '<img src=x onerror="alert(1)"> & Co';
    const email = renderEmail(sampleMessage('cancellation', 'en', { name }), SHOP);
    expect(email.html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co');
    expect(email.html).not.toContain('<img src=x');
    expect(email.text).toContain(`Hi ${name},`);
  });

  it('leaves out a link that is not http(s)', () => {
    const message = sampleMessage('shipped', 'en') as Extract<CustomerMessage, { messageType: 'shipped' }>;
    const email = renderEmail({ ...message, data: { ...message.data, trackingUrl: 'javascript:alert(1)' } }, SHOP);
    expect(email.html).not.toContain('javascript:');
    expect(email.text).not.toContain('javascript:');
    expect(
      renderSms({ ...message, data: { ...message.data, trackingUrl: 'javascript:alert(1)' } }, SHOP),
    ).not.toContain('javascript:');
  });

  it('links related products and the tracking page as plain anchors', () => {
    expect(renderEmail(sampleMessage('confirmation', 'en'), SHOP).html).toContain(
      '<a href="https://shop.example/p/cream-50">Night cream 50 ml</a>',
    );
    expect(renderEmail(sampleMessage('shipped', 'en'), SHOP).html).toContain(
      'href="https://www.dhl.com/lv-en/home/tracking.html?tracking-id=JD014600006281230704"',
    );
  });
});

describe('the catalogues and the layout', () => {
  it('refuses a string that names a variable the message does not offer', () => {
    expect(() => fill('Hi {{nmae}},', { name: 'Anna' })).toThrow(/uses \{\{nmae\}\}/);
    expect(() => fill('{{#items}}{{sku}}{{/items}}', { items: 'A' })).toThrow(/\{\{sku\}\}/);
  });

  it('compiles the MJML layout to the same HTML in a worker thread, waited for or awaited, as in process', async () => {
    for (const dir of ['ltr', 'rtl'] as const) {
      const inProcess = await compileMjml(layoutMjml(dir));
      expect(compileMjmlSync(layoutMjml(dir))).toBe(inProcess);
      expect(await compileMjmlInThread(layoutMjml(dir))).toBe(inProcess);
    }
  });

  it('reports an MJML error instead of sending a broken layout', async () => {
    const broken = '<mjml><mj-body><mj-section><mj-text>text outside a column</mj-text></mj-section></mj-body></mjml>';
    expect(() => compileMjmlSync(broken)).toThrow(/MJML could not compile/);
    await expect(compileMjmlInThread(broken)).rejects.toThrow(/MJML could not compile/);
    await expect(compileMjml(broken)).rejects.toThrow();
  });
});
