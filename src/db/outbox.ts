/** The local outbox: every message the outbox provider "sends", newest first when read back. */
import type { Pool } from 'pg';
import type { Channel } from '../domain/order';

export interface OutboxMessage {
  id: string;
  idempotencyKey: string;
  channel: Channel;
  orderId: string | null;
  journeyId: string | null;
  messageType: string;
  recipient: string;
  subject: string | null;
  textBody: string;
  htmlBody: string | null;
  /**
   * Extra email headers as sent (List-Unsubscribe, List-Unsubscribe-Post); null for SMS and plain transactional email.
   */
  headers: Record<string, string> | null;
  createdAt: Date;
}

export type NewOutboxMessage = Omit<OutboxMessage, 'id' | 'createdAt' | 'headers'> & {
  headers?: Record<string, string> | null;
};

const columns = `id, idempotency_key AS "idempotencyKey", channel, order_id AS "orderId", journey_id AS "journeyId",
  message_type AS "messageType", recipient, subject, text_body AS "textBody", html_body AS "htmlBody", headers,
  created_at AS "createdAt"`;

export class OutboxStore {
  constructor(private readonly pool: Pool) {}

  /** Records a message once per idempotency key; a repeat returns the row already there. */
  async record(message: NewOutboxMessage): Promise<OutboxMessage> {
    const { rows } = await this.pool.query<OutboxMessage>(
      `WITH inserted AS (
         INSERT INTO outbox_messages (idempotency_key, channel, order_id, journey_id, message_type, recipient, subject, text_body, html_body, headers)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING ${columns})
       SELECT * FROM inserted
       UNION ALL
       SELECT ${columns} FROM outbox_messages WHERE idempotency_key = $1
       LIMIT 1`,
      [
        message.idempotencyKey,
        message.channel,
        message.orderId,
        message.journeyId,
        message.messageType,
        message.recipient,
        message.subject,
        message.textBody,
        message.htmlBody,
        message.headers ? JSON.stringify(message.headers) : null,
      ],
    );
    if (rows[0]) return rows[0];
    // A concurrent insert of the same key committed after this statement's snapshot: read it now.
    const again = await this.pool.query<OutboxMessage>(
      `SELECT ${columns} FROM outbox_messages WHERE idempotency_key = $1`,
      [message.idempotencyKey],
    );
    return again.rows[0]!;
  }

  async list(filter: { orderId?: string; limit?: number } = {}): Promise<OutboxMessage[]> {
    const limit = Math.min(filter.limit ?? 100, 500);
    const { rows } = filter.orderId
      ? await this.pool.query<OutboxMessage>(
          `SELECT ${columns} FROM outbox_messages WHERE order_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
          [filter.orderId, limit],
        )
      : await this.pool.query<OutboxMessage>(
          `SELECT ${columns} FROM outbox_messages ORDER BY created_at DESC, id LIMIT $1`,
          [limit],
        );
    return rows;
  }
}
