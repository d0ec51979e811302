/**
 * The customer's side of consent in scenario tests: they click an unsubscribe link (through the real HTTP route, signed
 * with the dev secret the test worker signs links with), reply STOP to an SMS (recorded as the Twilio inbound webhook
 * records it), or support changes their preferences; and what the journey and the ledger then say about each message.
 */
import request from 'supertest';
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import type { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { ConsentStore } from '../../src/db/consent';
import { MessageLedger } from '../../src/db/ledger';
import { MarketingSlots } from '../../src/db/marketing-slots';
import { CustomerPreferenceStore } from '../../src/db/preferences';
import { productionPolicy } from '../../src/domain/policy';
import { createLogger } from '../../src/logger';
import { buildApi } from '../../src/server';
import type { JourneyView, SentMessage } from '../../src/workflows/journey-state';

/** The API on the test database, for the routes that need no Temporal (unsubscribe, preferences). */
export function consentApi(pool: Pool): Express {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: process.env.TEST_DATABASE_URL });
  const noTemporal = new Proxy(
    {},
    {
      get: () => {
        throw new Error('the consent routes need no Temporal');
      },
    },
  ) as Client;
  return buildApi(config, pool, noTemporal, productionPolicy, createLogger({ level: 'silent' }));
}

export class CustomerSide {
  readonly preferences: CustomerPreferenceStore;
  readonly slots: MarketingSlots;
  readonly ledger: MessageLedger;
  private readonly consent: ConsentStore;
  private app?: Express;

  constructor(private readonly pool: Pool) {
    this.preferences = new CustomerPreferenceStore(pool);
    this.slots = new MarketingSlots(pool);
    this.ledger = new MessageLedger(pool);
    this.consent = new ConsentStore(pool);
  }

  /** The customer clicks "Unsubscribe" in their mail client: a POST to the List-Unsubscribe link (RFC 8058). */
  async clickUnsubscribe(link: string): Promise<void> {
    this.app ??= consentApi(this.pool);
    const url = new URL(link);
    await request(this.app)
      .post(url.pathname + url.search)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
  }

  /** The customer replies STOP to one of our texts: what the Twilio inbound webhook records. */
  async replyStop(phone: string): Promise<void> {
    await this.consent.record({
      channel: 'sms',
      address: phone,
      status: 'opted_out',
      source: 'twilio:inbound',
      reason: 'replied STOP',
    });
  }
}

/** The https link in a List-Unsubscribe header. */
export function unsubscribeLinkIn(headers: Record<string, string> | null): string {
  const link = /<(https?:[^>]+)>/.exec(headers?.['List-Unsubscribe'] ?? '')?.[1];
  if (!link) throw new Error(`no https List-Unsubscribe link in ${JSON.stringify(headers)}`);
  return link;
}

/** The journey's messages of a type, as "status" per channel, e.g. `{ email: 'sent', sms: 'skipped' }`. */
export function outcomes(view: JourneyView, messageType: string): Partial<Record<SentMessage['channel'], string>> {
  return Object.fromEntries(
    view.messages
      .filter((m) => m.messageType === messageType)
      .map((m) => [m.channel, m.error ? `${m.status}: ${m.error.code}` : m.status]),
  );
}
