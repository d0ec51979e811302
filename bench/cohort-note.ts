/**
 * `npm run bench:cohort-note` — what the funnel's cohort note (one statement per order,
 * src/db/replenishment-conversions.ts) costs PostgreSQL and the API: the named statement the API sends vs the same text
 * planned on every call (the baseline), alternating on one connection in the same run, in a database of its own. CPU
 * is read from /proc for the PostgreSQL backend (so the server must run on this machine: DATABASE_URL, default the
 * local one) and from process.cpuUsage for the client.
 */
import { createChaosDatabase } from '../chaos/database';
import { createPool } from '../src/db/pool';
import { migrate } from '../src/db/migrate';
import { NOTE_AND_CONVERT_SQL, noteAndConvertValues } from '../src/db/replenishment-conversions';
import type { OrderCohort } from '../src/db/order-cohorts';
import { cpuMs } from './meter';
import { ratio } from './load';

const NOTES_PER_ROUND = 1_000;
const ROUNDS = 3;

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
      const sides = {
        named: (c: OrderCohort) =>
          pool.query({ name: 'note-and-convert', text: NOTE_AND_CONVERT_SQL, values: noteAndConvertValues(c) }),
        plannedEachTime: (c: OrderCohort) => pool.query(NOTE_AND_CONVERT_SQL, noteAndConvertValues(c)),
      };
      const totals = { named: [0, 0, 0], plannedEachTime: [0, 0, 0] };
      for (const side of Object.keys(sides) as (keyof typeof sides)[])
        for (let i = 0; i < 100; i++) await sides[side](cohort()); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        for (const side of Object.keys(sides) as (keyof typeof sides)[]) {
          const [b0, c0, t0] = [cpuMs(backend) ?? NaN, process.cpuUsage(), performance.now()];
          for (let i = 0; i < NOTES_PER_ROUND; i++) await sides[side](cohort());
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
      const named = per(totals.named);
      const base = per(totals.plannedEachTime);
      console.log(`cohort note, ${n} per side (PostgreSQL backend CPU · API client CPU · wall, ms per note):`);
      console.log(
        `  named statement:     ${named.backendMsPerNote} · ${named.clientMsPerNote} · ${named.wallMsPerNote}`,
      );
      console.log(`  planned every call:  ${base.backendMsPerNote} · ${base.clientMsPerNote} · ${base.wallMsPerNote}`);
      console.log(
        `  ratio named / planned: backend ${ratio(named.backendMsPerNote, base.backendMsPerNote)}×, client ${ratio(named.clientMsPerNote, base.clientMsPerNote)}×, wall ${ratio(named.wallMsPerNote, base.wallMsPerNote)}×`,
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
