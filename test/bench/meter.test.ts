/** The bench's CPU accounting between two snapshots of /proc (bench/meter.ts). */
import { cpuDelta } from '../../bench/meter';

it("sums PostgreSQL's backends, counting in full one born between the snapshots (a pool connects at first query)", () => {
  const before = { api: 100, 'postgres:10': 50, 'postgres:11': 7 };
  const after = { api: 160, 'postgres:10': 80, 'postgres:11': 7, 'postgres:12': 40 };
  expect(cpuDelta(before, after)).toEqual({ api: 60, postgres: 30 + 0 + 40 });
});

it('leaves out a named process seen only at the end: its CPU before the phase is unknown', () => {
  expect(cpuDelta({ api: 10 }, { api: 15, worker: 900 })).toEqual({ api: 5 });
});
