/**
 * Idempotency keys of support's actions: which request body a key was first used with, and the answer it got.
 * The duplicate suppression itself is Temporal's (the key is the update id); this record catches a key reused for a
 * different request and keeps the final answer beyond the workflow run (see the migration 1763900400000).
 */
import type { Pool } from 'pg';

export type IdempotentAction = 'return' | 'cancel';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** What a key says about a request: new (or still unanswered), used for another body, or answered before. */
export type KeyClaim = { kind: 'proceed' } | { kind: 'reused' } | { kind: 'answered'; answer: StoredAnswer };

export class IdempotencyKeys {
  constructor(private readonly pool: Pool) {}

  /**
   * Claims `key` for this body's fingerprint. A first use records it; a retry with the same body proceeds (or gets the
   * stored answer); another body under the key is `reused`. Two first uses racing both proceed: Temporal dedupes them.
   */
  async claim(ref: { orderId: string; action: IdempotentAction; key: string }, fingerprint: string): Promise<KeyClaim> {
    const { rows } = await this.pool.query<{ fingerprint: string; status: number | null; answer: unknown }>(
      `WITH inserted AS (
         INSERT INTO idempotency_keys (order_id, action, key, fingerprint) VALUES ($1, $2, $3, $4)
         ON CONFLICT (order_id, action, key) DO NOTHING
         RETURNING fingerprint, status, answer)
       SELECT fingerprint, status, answer FROM inserted
       UNION ALL
       SELECT fingerprint, status, answer FROM idempotency_keys WHERE order_id = $1 AND action = $2 AND key = $3
       LIMIT 1`,
      [ref.orderId, ref.action, ref.key, fingerprint],
    );
    // A first use racing ours committed after our statement's snapshot: neither inserted nor seen; read it now.
    const row =
      rows[0] ??
      (
        await this.pool.query<{ fingerprint: string; status: number | null; answer: unknown }>(
          `SELECT fingerprint, status, answer FROM idempotency_keys WHERE order_id = $1 AND action = $2 AND key = $3`,
          [ref.orderId, ref.action, ref.key],
        )
      ).rows[0];
    if (!row) throw new Error('idempotency key neither inserted nor found');
    if (row.fingerprint !== fingerprint) return { kind: 'reused' };
    if (row.status !== null) return { kind: 'answered', answer: { status: row.status, body: row.answer } };
    return { kind: 'proceed' };
  }

  /** Keeps the final answer; the first one stored wins (a racing duplicate got the same one from Temporal). */
  async answer(ref: { orderId: string; action: IdempotentAction; key: string }, answer: StoredAnswer): Promise<void> {
    await this.pool.query(
      `UPDATE idempotency_keys SET status = $4, answer = $5, answered_at = now()
       WHERE order_id = $1 AND action = $2 AND key = $3 AND status IS NULL`,
      [ref.orderId, ref.action, ref.key, answer.status, JSON.stringify(answer.body)],
    );
  }
}
