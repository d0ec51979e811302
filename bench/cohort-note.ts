/**
 * `npm run bench:cohort-note` — what the funnel's cohort notes (src/db/replenishment-conversions.ts) cost PostgreSQL
 * and the API when orders arrive together: notes grouped while a statement is in flight (group commit, what the API
 * does) vs one statement per order (the baseline, as before), 16 orders at a time over one connection, sides
 * alternating in the same run, in a database of its own. CPU is read from /proc for the PostgreSQL backend (so the
 * server must run on this machine: DATABASE_URL, default the local one) and from process.cpuUsage for the client.
 */
import { createChaosDatabase } from '../chaos/database';
import { createPool } from '../src/db/pool';
import { migrate } from '../src/db/migrate';
import { ReplenishmentConversions } from '../src/db/replenishment-conversions';
import type { OrderCohort } from '../src/db/order-cohorts';
import { cpuMs } from './meter';
import { closedLoop, ratio } from './load';

const NOTES_PER_ROUND = 1_000;
const ROUNDS = 3;
/** Orders whose notes are in flight at once, as at P1's concurrency 16. */
const CONCURRENCY = 16;

interface Side {
  backendMsPerNote: number;
  clientMsPerNote: number;
  wallMsPerNote: number;
}

async function main(): Promise<void> {
  const database = await createChaosDatabase();
  try {
    await migrate(database.url);
    const pool = createPool(database.url, 1, { asyncCommit: true });
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const backend = rows[0]!.pid;
      let serial = 0;
      const cohort = (): OrderCohort => {
        serial += 1;
        return {
          orderId: `bench-${serial}`,
          customerId: `cus-${serial % 500}`,
          locale: 'en',
          placedAt: new Date(),
          skus: ['SERUM-30', 'TOWEL-01'],
        };
      };
      const conversions = new ReplenishmentConversions(pool);
      const sides = {
        grouped: (c: OrderCohort) => conversions.noteAndConvert(c),
        onePerOrder: (c: OrderCohort) => conversions.noteAndConvertMany([c]),
      };
      const totals = { grouped: [0, 0, 0], onePerOrder: [0, 0, 0] };
      const run = async (side: keyof typeof sides, n: number) => {
        const result = await closedLoop(n, CONCURRENCY, () => sides[side](cohort()).then(() => undefined));
        if (result.failures) throw new Error(`${side}: ${result.failures} notes failed (${result.firstFailure})`);
      };
      for (const side of Object.keys(sides) as (keyof typeof sides)[]) await run(side, 100); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        for (const side of Object.keys(sides) as (keyof typeof sides)[]) {
          const [b0, c0, t0] = [cpuMs(backend) ?? NaN, process.cpuUsage(), performance.now()];
          await run(side, NOTES_PER_ROUND);
          const c = process.cpuUsage(c0);
          const t = totals[side];
          t[0]! += (cpuMs(backend) ?? NaN) - b0;
          t[1]! += (c.user + c.system) / 1000;
          t[2]! += performance.now() - t0;
        }
      }
      const n = NOTES_PER_ROUND * ROUNDS;
      const per = ([b, c, w]: number[]): Side => ({
        backendMsPerNote: round3(b! / n),
        clientMsPerNote: round3(c! / n),
        wallMsPerNote: round3(w! / n),
      });
      const grouped = per(totals.grouped);
      const base = per(totals.onePerOrder);
      console.log(
        `cohort notes, ${n} per side, ${CONCURRENCY} at a time (PostgreSQL backend CPU · API client CPU · wall, ms per note):`,
      );
      console.log(
        `  grouped:             ${grouped.backendMsPerNote} · ${grouped.clientMsPerNote} · ${grouped.wallMsPerNote}`,
      );
      console.log(`  one per order:       ${base.backendMsPerNote} · ${base.clientMsPerNote} · ${base.wallMsPerNote}`);
      console.log(
        `  ratio grouped / one per order: backend ${ratio(grouped.backendMsPerNote, base.backendMsPerNote)}×, client ${ratio(grouped.clientMsPerNote, base.clientMsPerNote)}×, wall ${ratio(grouped.wallMsPerNote, base.wallMsPerNote)}×`,
      );
    } finally {
      await pool.end();
    }
  } finally {
    await database.drop();
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
