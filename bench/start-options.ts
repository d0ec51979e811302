/**
 * `npm run bench:start-options` — what each of the journey's start options costs the Temporal server: its CPU per
 * start for the journey's real start request (src/journeys/journey-start.ts) and for that request with one option
 * left out at a time, against a bare start of a same-sized plain payload (the P1 baseline), in the same run on the same
 * dev server, sides alternating by round. No worker runs: starts only, as in P1.
 */
import type { Client, WorkflowStartOptions } from '@temporalio/client';
import { orderSchema } from '../src/domain/order';
import { demoPolicy } from '../src/domain/policy';
import { journeyStartOptions } from '../src/journeys/journey-start';
import { closedLoop, ratio } from './load';
import { cpuDelta, cpuSnapshot } from './meter';
import { benchOrder, runTag } from './orders';
import { startBenchStack } from './stack';

const STARTS_PER_ROUND = 500;
const ROUNDS = 3;
const CONCURRENCY = 16;
const TASK_QUEUE = 'bench-start-options';

type Options = WorkflowStartOptions & { args: readonly unknown[] };

async function main(): Promise<void> {
  const b = await startBenchStack((m) => console.log(m));
  try {
    await b.startServices('start-options');
    await b.stack.worker.kill('SIGTERM'); // starts only
    const encrypted = await b.stack.client();
    const tag = runTag();
    const journey = (id: string): Options => {
      const order = orderSchema.parse(benchOrder(id, { phone: '+37121234567' }));
      return { ...journeyStartOptions(order, { taskQueue: TASK_QUEUE, policy: demoPolicy, requestId: `req-${id}` }) };
    };
    const payload = 'x'.repeat(JSON.stringify(journey('sample').args).length);
    const without =
      (...keys: (keyof Options)[]) =>
      (id: string): Options => {
        const o = journey(id);
        for (const k of keys) delete o[k];
        return o;
      };
    const sides: Record<string, [Client, (id: string) => Options]> = {
      'bare start (baseline)': [b.bare, (id) => ({ workflowId: id, taskQueue: TASK_QUEUE, args: [payload] })],
      'the journey start': [encrypted, journey],
      '… without its memo': [encrypted, without('memo')],
      '… without its search attributes': [encrypted, without('typedSearchAttributes')],
      '… without summary and details': [encrypted, without('staticSummary', 'staticDetails')],
      '… without REJECT_DUPLICATE': [encrypted, without('workflowIdReusePolicy')],
      '… unencrypted': [b.bare, journey],
    };
    const totals = new Map<string, { cpuMs: number; n: number; ms: number }>();
    for (let round = 0; round < ROUNDS; round++) {
      const names = Object.keys(sides);
      for (const name of round % 2 ? names.reverse() : names) {
        const [client, options] = sides[name]!;
        const before = cpuSnapshot(b.pids());
        const t0 = Date.now();
        const result = await closedLoop(STARTS_PER_ROUND, CONCURRENCY, (i) =>
          client.workflow
            .start('orderJourney', options(`so${tag}-${round}-${names.indexOf(name)}-${i}`))
            .then(() => undefined),
        );
        if (result.failures) throw new Error(`${name}: ${result.failures} starts failed (${result.firstFailure})`);
        const total = totals.get(name) ?? { cpuMs: 0, n: 0, ms: 0 };
        total.cpuMs += cpuDelta(before, cpuSnapshot(b.pids())).temporal ?? NaN;
        total.n += STARTS_PER_ROUND;
        total.ms += Date.now() - t0;
        totals.set(name, total);
      }
    }
    const perStart = (name: string) => totals.get(name)!.cpuMs / totals.get(name)!.n;
    const bare = perStart('bare start (baseline)');
    console.log(
      `Temporal server CPU per start, ${STARTS_PER_ROUND * ROUNDS} starts per side at concurrency ${CONCURRENCY}:`,
    );
    for (const [name, t] of totals)
      console.log(
        `  ${name.padEnd(34)} ${perStart(name).toFixed(2)} ms · ${ratio(perStart(name), bare)}× bare · ${((t.n * 1000) / t.ms).toFixed(1)} starts/s`,
      );
  } finally {
    await b.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
