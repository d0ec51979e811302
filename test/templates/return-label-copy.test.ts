/**
 * The "return accepted" message in every language, with a prepaid label and without one: the label's link and the
 * return's tracking number where the customer needs them, the plain instructions when there is no label, and the SMS
 * within two segments either way.
 */
import { LOCALES, renderEmail, renderSms, sampleMessage, type CustomerMessage } from '../../src/templates';
import { smsLength } from '../../src/templates/sms-segments';
import { SHOP } from './shop';

type ReturnAccepted = Extract<CustomerMessage, { messageType: 'return_accepted' }>;

const withLabel = (locale: string) => sampleMessage('return_accepted', locale) as ReturnAccepted;
const LABEL = withLabel('en').data.label!;
const plain = (locale: string): ReturnAccepted => {
  const { label: _label, ...data } = withLabel(locale).data;
  return { messageType: 'return_accepted', data };
};

describe.each(LOCALES)('return accepted in %s', (locale) => {
  it('with a label: the email links it and names the carrier and the tracking number', () => {
    const email = renderEmail(withLabel(locale), SHOP);
    expect(email.text).toContain(LABEL.url);
    expect(email.text).toContain(LABEL.trackingNumber);
    expect(email.text).toContain('USPS');
    expect(email.text).toContain('RMA-2041');
    expect(email.html).toContain('e8a6cbbd2c8c4b0b8c8b0f1e1f0a3b55.pdf');
  });

  it('with a label: the SMS names the tracking number within two segments, and links the label when it fits', () => {
    const sms = renderSms(withLabel(locale), SHOP);
    const { segments, encoding } = smsLength(sms);
    expect(segments).toBeLessThanOrEqual(2);
    expect(sms).toContain(LABEL.trackingNumber);
    expect(sms).not.toMatch(/(\.\.\.|…)$/); // gave way by design, never cut
    // GSM-7 has room for EasyPost's 106-character link; in UCS-2 (67 characters a segment) it says where the label is.
    if (encoding === 'GSM-7') expect(sms).toContain(LABEL.url);
  });

  it('without a label: the plain instructions, no link', () => {
    const email = renderEmail(plain(locale), SHOP);
    expect(email.text).toContain('RMA-2041');
    expect(email.text).not.toContain('easypost');
    expect(email.text).not.toContain(LABEL.trackingNumber);
    const sms = renderSms(plain(locale), SHOP);
    expect(smsLength(sms).segments).toBeLessThanOrEqual(2);
    expect(sms).toContain('RMA-2041');
  });
});

it('in English, the plain instructions are the ones customers got before labels', () => {
  expect(renderEmail(plain('en'), SHOP).text).toContain(
    'Pack the items below, write RMA-2041 on the parcel and send it back with the return label.',
  );
  expect(renderEmail(withLabel('en'), SHOP).text).toContain("Your return's tracking number: 9434600208303110373101.");
  expect(renderSms(withLabel('en'), SHOP)).toBe(
    `Test Shop: Return RMA-2041 accepted. Your prepaid USPS label (tracking 9434600208303110373101) is in your email. Label: ${LABEL.url}`,
  );
});
