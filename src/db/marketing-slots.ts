/**
 * Reservations for the frequency cap (marketing_slots): before a marketing message goes, its journey reserves the time
 * it may go at, at least 24 hours away from every other reserved message of the same customer, in any journey.
 *
 * Why it is safe when two journeys reach the cap at the same instant: each reservation runs in one transaction that
 * first takes a per-customer transaction-scoped advisory lock (pg_advisory_xact_lock on a hash of the customer id), so
 * reservations of one customer happen one after the other — the second sees the first's slot and moves past it. Other
 * customers are not held up (a hash collision only serializes two customers briefly). The lock is released at commit.
 *
 * Idempotent per (journey, step): a retried activity finds the slot it reserved before and gets the same answer, even
 * if other journeys reserved slots in between.
 */
import type { Pool } from 'pg';
import { firstFreeSlot } from '../domain/marketing-cap';

/** The advisory lock namespace (first key) of marketing slots, apart from other advisory locks (e.g. migrations). */
const LOCK_CLASS = 0x5107;
/**
 * Reservations older than a day cannot clash with a new request any more; they are kept 90 days (support can see why
 * a message was deferred) and pruned on the way.
 */
const KEEP_MS = 90 * 86_400_000;

export interface SlotRequest {
  customerId: string;
  journeyId: string;
  step: string;
  /** The earliest the message may go (workflow time). */
  earliest: Date;
  /** Minimum distance to every other marketing message of the customer (24 h; one policy day in the demo). */
  spacingMs: number;
  /** Moves a time forward into the customer's quiet-hours window (identity when there are none). */
  fit?: (at: Date) => Date;
}

export interface Slot {
  at: Date;
  /** False when this step had already reserved it (a retry). */
  created: boolean;
}

export class MarketingSlots {
  constructor(private readonly pool: Pool) {}

  async reserve(request: SlotRequest): Promise<Slot> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, request.customerId]);
      const own = await client.query<{ slotAt: Date }>(
        `SELECT slot_at AS "slotAt" FROM marketing_slots WHERE journey_id = $1 AND step = $2`,
        [request.journeyId, request.step],
      );
      if (own.rows[0]) {
        await client.query('COMMIT');
        return { at: own.rows[0].slotAt, created: false };
      }
      const others = await client.query<{ slotAt: Date }>(
        `SELECT slot_at AS "slotAt" FROM marketing_slots WHERE customer_id = $1 AND slot_at > $2 ORDER BY slot_at`,
        [request.customerId, new Date(request.earliest.getTime() - request.spacingMs)],
      );
      const at = firstFreeSlot(
        request.earliest,
        others.rows.map((r) => r.slotAt),
        request.spacingMs,
        request.fit,
      );
      await client.query(
        `INSERT INTO marketing_slots (customer_id, journey_id, step, slot_at) VALUES ($1, $2, $3, $4)`,
        [request.customerId, request.journeyId, request.step, at],
      );
      await client.query(`DELETE FROM marketing_slots WHERE customer_id = $1 AND slot_at < $2`, [
        request.customerId,
        new Date(request.earliest.getTime() - KEEP_MS),
      ]);
      await client.query('COMMIT');
      return { at, created: true };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** The customer's reservations, oldest first (for tests and support). */
  async forCustomer(customerId: string): Promise<{ journeyId: string; step: string; at: Date }[]> {
    const { rows } = await this.pool.query<{ journeyId: string; step: string; at: Date }>(
      `SELECT journey_id AS "journeyId", step, slot_at AS "at" FROM marketing_slots WHERE customer_id = $1 ORDER BY slot_at`,
      [customerId],
    );
    return rows;
  }
}
