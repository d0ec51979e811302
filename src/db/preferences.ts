/**
 * Customers' preferences (customer_preferences, customer_preference_events): marketing yes/no and channels turned off,
 * the latest statement per topic, and every statement ever made with its source and time. The rules that read them are
 * in src/domain/consent.ts.
 *
 * Written by support (`PUT /v1/customers/:customerId/preferences`), the one-click unsubscribe link, and checkout (an
 * order's `marketingConsent: true`, noted when its journey first sends). Read by the notify activity before every send
 * and by the frequency cap before reserving a slot, so a change counts at once, for journeys already running too.
 */
import type { Pool } from 'pg';
import type { CustomerStatements, PreferenceStatement, PreferenceStatus, PreferenceTopic } from '../domain/consent';
import type { Channel } from '../domain/order';

export interface PreferenceChange {
  customerId: string;
  topic: PreferenceTopic;
  status: PreferenceStatus;
  source: string;
  reason?: string;
  /** When the customer said so; default now. A change older than the recorded statement is kept in the log only. */
  at?: Date;
}

export interface PreferenceEvent extends PreferenceStatement {
  topic: PreferenceTopic;
  recordedAt: Date;
}

/** A customer's preferences as support sees them. */
export interface CustomerPreferences {
  customerId: string;
  /** False when nothing was ever recorded for this customer: everything below is the default. */
  known: boolean;
  /** Channels the customer accepts messages on (turning one off stops transactional messages on it too). */
  channels: Record<Channel, boolean>;
  /**
   * Marketing: opted_in / opted_out, or not_asked (no marketing until an order's checkout or support records consent).
   */
  marketing: PreferenceStatus | 'not_asked';
  /** The latest statement per topic, with its source and time. */
  statements: CustomerStatements;
  /** Every opt-out ever recorded, newest first, including ones later reversed. */
  optOuts: PreferenceEvent[];
}

const statementColumns = `topic, status, source, reason, said_at AS "at"`;

export class CustomerPreferenceStore {
  constructor(private readonly pool: Pool) {}

  /** The latest statement per topic (what sending decides on). */
  async statements(customerId: string): Promise<CustomerStatements> {
    const { rows } = await this.pool.query<PreferenceStatement & { topic: PreferenceTopic }>(
      `SELECT ${statementColumns} FROM customer_preferences WHERE customer_id = $1`,
      [customerId],
    );
    return Object.fromEntries(rows.map(({ topic, ...statement }) => [topic, statement]));
  }

  async get(customerId: string): Promise<CustomerPreferences> {
    const [statements, { rows: optOuts }] = await Promise.all([
      this.statements(customerId),
      this.pool.query<PreferenceEvent>(
        `SELECT ${statementColumns}, recorded_at AS "recordedAt" FROM customer_preference_events
         WHERE customer_id = $1 AND status = 'opted_out' ORDER BY said_at DESC, id DESC LIMIT 100`,
        [customerId],
      ),
    ]);
    return {
      customerId,
      known: Object.keys(statements).length > 0,
      channels: { email: statements.email?.status !== 'opted_out', sms: statements.sms?.status !== 'opted_out' },
      marketing: statements.marketing?.status ?? 'not_asked',
      statements,
      optOuts,
    };
  }

  /**
   * Records each change in the log, and as the topic's current statement unless a newer one is recorded (statements
   * arrive late and out of order: the latest said wins). All changes of one call commit together.
   */
  async record(changes: PreferenceChange[]): Promise<void> {
    if (!changes.length) return;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const change of changes) {
        const values = [
          change.customerId,
          change.topic,
          change.status,
          change.source,
          change.reason ?? null,
          change.at ?? new Date(),
        ];
        await client.query(
          `INSERT INTO customer_preference_events (customer_id, topic, status, source, reason, said_at) VALUES ($1, $2, $3, $4, $5, $6)`,
          values,
        );
        await client.query(
          `INSERT INTO customer_preferences (customer_id, topic, status, source, reason, said_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (customer_id, topic) DO UPDATE
             SET status = EXCLUDED.status, source = EXCLUDED.source, reason = EXCLUDED.reason, said_at = EXCLUDED.said_at,
                 recorded_at = now()
             WHERE customer_preferences.said_at <= EXCLUDED.said_at`,
          values,
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Consent ticked at checkout, as of when the order was placed: recorded once per order (a repeat changes nothing) and
   * only when newer than what the customer said last — an unsubscribe after the order keeps marketing off.
   */
  async noteCheckoutConsent(customerId: string, orderId: string, placedAt: Date): Promise<void> {
    // One statement: the log's unique index on checkout sources makes a repeat (or a concurrent twin) a no-op.
    await this.pool.query(
      `WITH logged AS (
         INSERT INTO customer_preference_events (customer_id, topic, status, source, reason, said_at)
         VALUES ($1, 'marketing', 'opted_in', $2, 'ticked at checkout', $3)
         ON CONFLICT DO NOTHING
         RETURNING customer_id, topic, status, source, reason, said_at)
       INSERT INTO customer_preferences (customer_id, topic, status, source, reason, said_at)
       SELECT customer_id, topic, status, source, reason, said_at FROM logged
       ON CONFLICT (customer_id, topic) DO UPDATE
         SET status = EXCLUDED.status, source = EXCLUDED.source, reason = EXCLUDED.reason, said_at = EXCLUDED.said_at,
             recorded_at = now()
         WHERE customer_preferences.said_at <= EXCLUDED.said_at`,
      [customerId, `checkout:order ${orderId}`, placedAt],
    );
  }
}
