/**
 * Stands in for SendGrid's Event Webhook signing: an ECDSA P-256 key pair made here; the app verifies with its public
 * key (SENDGRID_WEBHOOK_PUBLIC_KEY, base64 DER without PEM armour, as SendGrid shows it).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';

export interface SignedEvents {
  payload: string;
  timestamp: string;
  signature: string;
}

export function sendGridSigner() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    publicKeyBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    /** Signs like SendGrid: ECDSA P-256 / SHA-256 over timestamp + payload, base64 DER signature. */
    signed: (payload: string, timestamp = String(Math.floor(Date.now() / 1000))): SignedEvents => {
      const signature = sign('sha256', Buffer.from(timestamp + payload), privateKey).toString('base64');
      return { payload, timestamp, signature };
    },
  };
}

/** POSTs signed events to the webhook with SendGrid's headers. */
export function postSendGridEvents(app: Express, { payload, timestamp, signature }: SignedEvents) {
  return request(app)
    .post('/v1/webhooks/sendgrid/events')
    .set('Content-Type', 'application/json')
    .set('X-Twilio-Email-Event-Webhook-Signature', signature)
    .set('X-Twilio-Email-Event-Webhook-Timestamp', timestamp)
    .send(payload);
}
