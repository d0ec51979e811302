/**
 * The message ledger: one row per (journey, step, channel). It is how a retried activity knows a message already went
 * out.
 */
import type { Pool } from 'pg';
import type { Channel } from '../domain/order';
import type { LedgerStatus } from '../domain/message-status';

export type { LedgerStatus };

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

export interface ProviderCallStart {
  /** The previous call of this message got no answer: the provider may have it already. */
  previousUnanswered: boolean;
  /** Where that previous call went, when a provider pair noted it (noteProviderCall). */
  previousProvider: string | null;
  /** When that previous call started: the provider cannot have taken the message before. */
  previousStartedAt: Date | null;
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

/** How a delivery report finds its message. */
export interface DeliveryMatch {
  provider: string;
  /** Our ledger row's id, when the provider echoes it (SendGrid custom_args, Twilio's status callback URL). */
  ledgerId?: string;
  providerMessageId?: string;
}

export type DeliveryReport = { status: 'delivered' } | { status: 'failed'; errorCode: string; errorMessage: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

  /**
   * Marks a provider call as started. Returns true when the previous call of this message never got an answer (the
   * worker died during it, or it timed out): the provider may already have the message, and this call may duplicate it.
   */
  async beginProviderCall(id: string): Promise<ProviderCallStart> {
    const { rows } = await this.pool.query<ProviderCallStart>(
      `UPDATE message_ledger m SET provider_call_started_at = now(),
         uncertain_attempts = m.uncertain_attempts + CASE WHEN m.provider_call_started_at IS NULL THEN 0 ELSE 1 END
       FROM (SELECT id, provider_call_started_at AS started_at, provider_call_provider AS provider
             FROM message_ledger WHERE id = $1) before
       WHERE m.id = before.id
       RETURNING before.started_at IS NOT NULL AS "previousUnanswered", before.provider AS "previousProvider",
         before.started_at AS "previousStartedAt"`,
      [id],
    );
    return rows[0] ?? { previousUnanswered: false, previousProvider: null, previousStartedAt: null };
  }

  /**
   * Notes which provider the call about to start goes to (a provider pair tells it before each call): should it get no
   * answer, the retry goes to the same provider only (docs/failover.md).
   */
  async noteProviderCall(id: string, provider: string): Promise<void> {
    await this.pool.query(`UPDATE message_ledger SET provider_call_provider = $2 WHERE id = $1`, [id, provider]);
  }

  /** The provider answered (a refusal the caller will retry): the call's outcome is known. */
  async endProviderCall(id: string): Promise<void> {
    await this.pool.query(`UPDATE message_ledger SET provider_call_started_at = NULL WHERE id = $1`, [id]);
  }

  async markSent(id: string, provider: string, providerMessageId: string): Promise<void> {
    await this.pool.query(
      `UPDATE message_ledger SET status = 'sent', provider = $2, provider_message_id = $3, sent_at = now(), updated_at = now(),
         error_code = NULL, error_message = NULL, provider_call_started_at = NULL
       WHERE id = $1 AND status = 'pending'`,
      [id, provider, providerMessageId],
    );
  }

  async markFailed(id: string, provider: string, errorCode: string, errorMessage: string): Promise<void> {
    await this.pool.query(
      `UPDATE message_ledger SET status = 'failed', provider = $2, error_code = $3, error_message = $4, updated_at = now(),
         provider_call_started_at = NULL
       WHERE id = $1 AND status = 'pending'`,
      [id, provider, errorCode, errorMessage],
    );
  }

  /** `code` (e.g. "opted_out") is shown with the message, as a failure's code is. */
  async markSkipped(id: string, reason: string, code?: string): Promise<void> {
    await this.pool.query(
      `UPDATE message_ledger SET status = 'skipped', error_message = $2, error_code = COALESCE($3, error_code), updated_at = now()
       WHERE id = $1 AND status = 'pending'`,
      [id, reason, code ?? null],
    );
  }

  /**
   * What the provider later reported about a message it accepted (delivery webhooks). Matched by our ledger id when the
   * provider echoes it, else by the provider's message id. A report may arrive before the send was recorded (Twilio
   * calls back before its create call returns), late, or out of order:
   * - delivered applies to a pending or sent message;
   * - failed applies to a pending, sent or delivered one (a bounce can follow SMTP acceptance), never to a skipped one.
   * Returns the matched row as it is now, or null when no message matches (an unknown message: the caller keeps the
   * event).
   */
  async recordDelivery(match: DeliveryMatch, report: DeliveryReport): Promise<LedgerEntry | null> {
    const byId = match.ledgerId && UUID.test(match.ledgerId) ? match.ledgerId : null;
    if (!byId && !match.providerMessageId) return null;
    const allowedFrom = report.status === 'delivered' ? ['pending', 'sent'] : ['pending', 'sent', 'delivered'];
    const { rows } = await this.pool.query<LedgerEntry>(
      `WITH target AS (
         SELECT id FROM message_ledger
         WHERE id = $1::uuid OR (provider = $2 AND provider_message_id = $3)
         ORDER BY (id = $1::uuid) DESC NULLS LAST
         LIMIT 1
       ), changed AS (
         UPDATE message_ledger m
            SET status = $4, updated_at = now(),
                provider = COALESCE(m.provider, $2),
                provider_message_id = COALESCE(m.provider_message_id, $3),
                error_code = CASE WHEN $4 = 'failed' THEN $5 ELSE m.error_code END,
                error_message = CASE WHEN $4 = 'failed' THEN $6 ELSE m.error_message END
           FROM target
          WHERE m.id = target.id AND m.status = ANY($7::text[])
         RETURNING m.id
       )
       SELECT ${columns} FROM message_ledger WHERE id = (SELECT id FROM target)`,
      [
        byId,
        match.provider,
        match.providerMessageId ?? null,
        report.status,
        report.status === 'failed' ? report.errorCode : null,
        report.status === 'failed' ? report.errorMessage : null,
        allowedFrom,
      ],
    );
    const entry = rows[0];
    if (!entry) return null;
    // The SELECT sees the row as it was before this statement's UPDATE (one snapshot): report what was applied.
    const applies = allowedFrom.includes(entry.status);
    return applies
      ? {
          ...entry,
          status: report.status,
          ...(report.status === 'failed' ? { errorCode: report.errorCode, errorMessage: report.errorMessage } : {}),
        }
      : entry;
  }

  async find(id: string): Promise<LedgerEntry | undefined> {
    const { rows } = await this.pool.query<LedgerEntry>(`SELECT ${columns} FROM message_ledger WHERE id = $1`, [id]);
    return rows[0];
  }

  /**
   * Every message of a customer: their lifecycle workflow's, their orders' journeys' and their replenishment chains'
   * (`replenish-<customerId>-<sku>`), oldest first.
   */
  async forCustomer(customerId: string, journeyIds: string[]): Promise<LedgerEntry[]> {
    const chains = `replenish-${customerId.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`;
    const { rows } = await this.pool.query<LedgerEntry>(
      `SELECT ${columns} FROM message_ledger WHERE journey_id = ANY($1) OR journey_id LIKE $2
       ORDER BY created_at, step, channel`,
      [journeyIds, chains],
    );
    return rows;
  }

  async forOrder(orderId: string): Promise<LedgerEntry[]> {
    const { rows } = await this.pool.query<LedgerEntry>(
      `SELECT ${columns} FROM message_ledger WHERE order_id = $1 ORDER BY created_at, step, channel`,
      [orderId],
    );
    return rows;
  }
}
