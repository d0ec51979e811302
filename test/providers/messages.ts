/** Messages as the notify activity hands them to a provider: one order's confirmation, by email and by SMS. */
import { randomUUID } from 'node:crypto';
import type { OutgoingEmail, OutgoingSms } from '../../src/providers/types';
import { uniqueId } from '../helpers/fixtures';

function context(messageType = 'confirmation') {
  const orderId = uniqueId('ord');
  return { idempotencyKey: randomUUID(), journeyId: `order-${orderId}`, orderId, step: 'confirmation', messageType };
}

export function aConfirmationEmail(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    ...context(),
    to: 'anna.berzina@example.com',
    subject: 'Thank you for your order',
    text: 'Hi Anna, thank you for your order. Vitamin C serum 30 ml × 2, EUR 59.90. It should arrive 25–27 November.',
    html: '<p>Hi Anna, thank you for your order.</p><ul><li>Vitamin C serum 30 ml × 2</li></ul><p>EUR 59.90</p>',
    ...overrides,
  };
}

export function aRestockReminderEmail(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return aConfirmationEmail({
    ...context('replenishment_reminder'),
    step: 'replenishment',
    subject: 'Running low on your Vitamin C serum?',
    marketing: true,
    ...overrides,
  });
}

export function aConfirmationSms(overrides: Partial<OutgoingSms> = {}): OutgoingSms {
  return {
    ...context(),
    to: '+37126000000',
    body: 'Test Shop: thank you for your order! Delivery 25–27 Nov. Help: +37120000001',
    ...overrides,
  };
}

/** Real-looking credentials: the contract specs check their shape, nothing checks them for real. */
export const TWILIO_ACCOUNT = { accountSid: `AC${'a1'.repeat(16)}`, authToken: 'test-auth-token-not-secret' };
export const TWILIO_MESSAGING_SERVICE_SID = `MG${'b2'.repeat(16)}`;
export const SENDGRID_API_KEY = 'SG.test-key.not-a-real-secret';
