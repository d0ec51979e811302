/**
 * `--pin`: P1 with the Temporal server on one core and the API and the load on the other, as production runs them on
 * machines of their own. On these 2 cores the API's CPU otherwise comes out of the server's: the pinned run shows what
 * our start costs the server alone, the unpinned one what it costs on a shared machine. Linux only (taskset).
 */
import { execFileSync } from 'node:child_process';

/** Binds every thread of the process (new threads inherit it) to the given CPUs, e.g. '0' or '0-1'. */
export function pinToCpus(pid: number, cpus: string): void {
  execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', cpus, String(pid)], { stdio: 'ignore' });
}

/** Temporal on CPU 0; the API, the bare HTTP server (P1's floor) and this process (the load) on CPU 1. */
export function pinForP1(pids: { temporal?: number; api?: number; bareHttp?: number; bench?: number }): () => void {
  const pinned = (
    [
      [pids.temporal, '0'],
      [pids.api, '1'],
      [pids.bareHttp, '1'],
      [pids.bench, '1'],
    ] as const
  ).filter((p): p is [number, '0' | '1'] => p[0] !== undefined);
  for (const [pid, cpu] of pinned) pinToCpus(pid, cpu);
  return () => {
    for (const [pid] of pinned) pinToCpus(pid, '0-1');
  };
}
