/**
 * The message ledger: one row per (journey, step, channel). It is how a retried activity knows a message already went out.
 */
import type { Pool } from 'pg';
import type { Channel } from '../domain/order';

export type LedgerStatus = 'pending' | 'sent' | 'delivered' | 'failed' | 'skipped';

export interface LedgerEntry {
  id: string;
  journeyId: string;
  orderId: string;
  step: string;
  channel: Channel;
  messageType: string;
  status: LedgerStatus;
  attempts: number;
  provider: string | null;
  providerMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  sentAt: Date | null;
}

export interface LedgerKey {
  journeyId: string;
  orderId: string;
  step: string;
  channel: Channel;
  messageType: string;
}

const columns = `id, journey_id AS "journeyId", order_id AS "orderId", step, channel, message_type AS "messageType", status,
  attempts, provider, provider_message_id AS "providerMessageId", error_code AS "errorCode", error_message AS "errorMessage",
  sent_at AS "sentAt"`;

export class MessageLedger {
  constructor(private readonly pool: Pool) {}

  /** Finds or creates the row for this message and counts the attempt. Concurrent claims get the same row. */
  async claim(key: LedgerKey): Promise<LedgerEntry> {
    const { rows } = await this.pool.query<LedgerEntry>(
      `INSERT INTO message_ledger (journey_id, order_id, step, channel, message_type, attempts)
       VALUES ($1, $2, $3, $4, $5, 1)
       ON CONFLICT ON CONSTRAINT message_ledger_one_per_step
       DO UPDATE SET attempts = message_ledger.attempts + 1, updated_at = now()
       RETURNING ${columns}`,
      [key.journeyId, key.orderId, key.step, key.channel, key.messageType],
    );
    return rows[0]!;
  }

  async markSent(id: string, provider: string, providerMessageId: string): Promise<void> {
    await this.pool.query(
      `UPDATE message_ledger SET status = 'sent', provider = $2, provider_message_id = $3, sent_at = now(), updated_at = now(),
         error_code = NULL, error_message = NULL
       WHERE id = $1 AND status = 'pending'`,
      [id, provider, providerMessageId],
    );
  }

  async markFailed(id: string, provider: string, errorCode: string, errorMessage: string): Promise<void> {
    await this.pool.query(
      `UPDATE message_ledger SET status = 'failed', provider = $2, error_code = $3, error_message = $4, updated_at = now()
       WHERE id = $1 AND status = 'pending'`,
      [id, provider, errorCode, errorMessage],
    );
  }

  async markSkipped(id: string, reason: string): Promise<void> {
    await this.pool.query(
      `UPDATE message_ledger SET status = 'skipped', error_message = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`,
      [id, reason],
    );
  }

  async forOrder(orderId: string): Promise<LedgerEntry[]> {
    const { rows } = await this.pool.query<LedgerEntry>(
      `SELECT ${columns} FROM message_ledger WHERE order_id = $1 ORDER BY created_at, step, channel`,
      [orderId],
    );
    return rows;
  }
}
