/**
 * The providers' circuit breakers in PostgreSQL, so every worker sees the same state (src/domain/provider-circuit.ts
 * decides the transitions). A change of state happens under the row's lock: two workers never both claim the one
 * half-open probe. Times are the database's clock, the same for every worker.
 */
import type { Pool, PoolClient } from 'pg';
import {
  admit,
  afterFailure,
  CLOSED_CIRCUIT,
  type Admission,
  type Circuit,
  type CircuitSettings,
  type CircuitState,
} from '../domain/provider-circuit';

interface CircuitRow {
  state: CircuitState;
  consecutiveFailures: number;
  openedAt: number | null;
  probeUntil: number | null;
  now: number;
}

const SELECT_CIRCUIT = `SELECT state, consecutive_failures AS "consecutiveFailures",
    (extract(epoch FROM opened_at) * 1000)::float8 AS "openedAt",
    (extract(epoch FROM probe_until) * 1000)::float8 AS "probeUntil",
    (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now
  FROM provider_circuits WHERE provider = $1`;

export class ProviderCircuits {
  constructor(
    private readonly pool: Pool,
    private readonly settings: CircuitSettings,
  ) {}

  /** Whether a send may use `provider` now; a probe has claimed the half-open slot when this returns. */
  async admit(provider: string): Promise<Admission> {
    // Most of the time the circuit is closed, or open with no probe due: one read, no lock. Only a send that may
    // become the probe takes the row's lock, and decides again under it.
    const { rows } = await this.pool.query<CircuitRow>(SELECT_CIRCUIT, [provider]);
    if (!rows[0]) return 'send';
    const { now, ...seen } = rows[0];
    const unlocked = admit(seen, now, this.settings).admission;
    if (unlocked !== 'probe') return unlocked;
    return this.transition(provider, (circuit, now) => {
      const { admission, next } = admit(circuit, now, this.settings);
      return { next, result: admission };
    });
  }

  async recordSuccess(provider: string): Promise<void> {
    await this.pool.query(
      `UPDATE provider_circuits SET state = 'closed', consecutive_failures = 0, opened_at = NULL, probe_until = NULL,
         updated_at = now()
       WHERE provider = $1 AND (state <> 'closed' OR consecutive_failures <> 0)`,
      [provider],
    );
  }

  async recordFailure(provider: string): Promise<void> {
    await this.transition(provider, (circuit, now) => ({
      next: afterFailure(circuit, now, this.settings),
      result: undefined,
    }));
  }

  /** Every provider's state (those never used are closed and not listed): for /metrics and /readyz. */
  async states(): Promise<Record<string, CircuitState>> {
    const { rows } = await this.pool.query<{ provider: string; state: CircuitState }>(
      `SELECT provider, state FROM provider_circuits ORDER BY provider`,
    );
    return Object.fromEntries(rows.map((r) => [r.provider, r.state]));
  }

  private async transition<T>(
    provider: string,
    change: (circuit: Circuit, now: number) => { next: Circuit; result: T },
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO provider_circuits (provider) VALUES ($1) ON CONFLICT DO NOTHING`, [provider]);
      const { rows } = await client.query<CircuitRow>(`${SELECT_CIRCUIT} FOR UPDATE`, [provider]);
      const { now, ...circuit } = rows[0] ?? { ...CLOSED_CIRCUIT, now: Date.now() };
      const { next, result } = change(circuit, now);
      await write(client, provider, next);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
}

async function write(client: PoolClient, provider: string, circuit: Circuit): Promise<void> {
  await client.query(
    `UPDATE provider_circuits SET state = $2, consecutive_failures = $3,
       opened_at = to_timestamp($4::float8 / 1000), probe_until = to_timestamp($5::float8 / 1000), updated_at = now()
     WHERE provider = $1`,
    [provider, circuit.state, circuit.consecutiveFailures, circuit.openedAt, circuit.probeUntil],
  );
}
