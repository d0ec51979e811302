/**
 * The consent store: whether an address may receive messages on a channel, as the customer or a provider last said.
 *
 * One row per (channel, address) in `contact_consent`. No row means nobody ever said otherwise: transactional messages
 * go out. What is recorded here and by whom:
 * - `opted_out`: SMS STOP keywords (Twilio inbound webhook), Twilio 21610 on a send, a SendGrid hard bounce, spam
 *   report or global unsubscribe. An SMS opt-out covers every SMS, transactional or marketing.
 * - `opted_in`: SMS START / YES / UNSTOP after an opt-out.
 * - `invalid`: the provider says the address cannot receive at all (Twilio 21211 invalid number, 30006 landline). Kept
 *   apart from `opted_out` because nobody refused anything: a corrected number in a later order simply gets a new row.
 *
 * The notify activity asks `blocked()` before every send. Marketing preferences (per message kind) are meant to be
 * built on top of this table, not inside it: this store only answers "may this address get anything on this channel".
 */
import type { Pool } from 'pg';
import type { Channel } from '../domain/order';

export type ConsentStatus = 'opted_in' | 'opted_out' | 'invalid';

export interface ConsentRecord {
  channel: Channel;
  address: string;
  status: ConsentStatus;
  source: string;
  reason: string | null;
  updatedAt: Date;
}

export interface ConsentChange {
  channel: Channel;
  /** Email address or E.164 phone number; normalized before it is stored. */
  address: string;
  status: ConsentStatus;
  /** Who said so: "<provider>:<what>", e.g. "twilio:inbound", "sendgrid:bounce", "twilio:21610". */
  source: string;
  reason?: string;
  /** When it was said (the provider's event time); a change older than the recorded one is ignored. Default: now. */
  at?: Date;
}

/** Why nothing may be sent to an address on a channel. */
export type SendBlock = 'opted_out' | 'contact_invalid';

/** The same address always spelled the same way: emails lowercased, phone numbers without spaces or dashes. */
export function normalizeAddress(channel: Channel, address: string): string {
  const trimmed = address.trim();
  return channel === 'email' ? trimmed.toLowerCase() : trimmed.replace(/[\s().-]/g, '');
}

export class ConsentStore {
  constructor(private readonly pool: Pool) {}

  /** Records a change unless a newer one is already recorded (webhooks arrive late and out of order). */
  async record(change: ConsentChange): Promise<void> {
    await this.pool.query(
      `INSERT INTO contact_consent (channel, address, status, source, reason, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT contact_consent_one_per_address DO UPDATE
         SET status = EXCLUDED.status, source = EXCLUDED.source, reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at
         WHERE contact_consent.updated_at <= EXCLUDED.updated_at`,
      [
        change.channel,
        normalizeAddress(change.channel, change.address),
        change.status,
        change.source,
        change.reason ?? null,
        change.at ?? new Date(),
      ],
    );
  }

  async get(channel: Channel, address: string): Promise<ConsentRecord | null> {
    const { rows } = await this.pool.query<ConsentRecord>(
      `SELECT channel, address, status, source, reason, updated_at AS "updatedAt" FROM contact_consent WHERE channel = $1 AND address = $2`,
      [channel, normalizeAddress(channel, address)],
    );
    return rows[0] ?? null;
  }

  /** Null when messages may go to this address on this channel; otherwise why not. */
  async blocked(channel: Channel, address: string): Promise<SendBlock | null> {
    const record = await this.get(channel, address);
    if (record?.status === 'opted_out') return 'opted_out';
    if (record?.status === 'invalid') return 'contact_invalid';
    return null;
  }
}
