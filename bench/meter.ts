/**
 * CPU time and memory of the bench's processes, read from /proc (Linux): user + system CPU of each process since it
 * started, and its resident set size. A phase takes a snapshot before and after and reports the difference, so each
 * process's share of the work is visible (a saturated Temporal server or API shows up here, not only in latencies).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU milliseconds (user + system) the process has used so far; undefined when it is gone. */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Resident set size in MB; undefined when the process is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export type Pids = Record<string, number | undefined>;
export type CpuSnapshot = Record<string, number>;

/**
 * CPU so far of each named process, plus `postgres`: every PostgreSQL process on the machine (the services' pool
 * connections and the server's own; the machine's PostgreSQL serves nothing else during a run). A backend that exits
 * between two snapshots takes its CPU with it; the services' pools keep theirs open while they are busy.
 */
export function cpuSnapshot(pids: Pids): CpuSnapshot {
  const out: CpuSnapshot = {};
  for (const [name, pid] of Object.entries(pids)) {
    const ms = name === 'bench' ? selfCpuMs() : pid ? cpuMs(pid) : undefined;
    if (ms !== undefined) out[name] = ms;
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue; // gone meanwhile
    }
    const ms = cpuMs(Number(entry));
    if (ms !== undefined) out[`${POSTGRES}${entry}`] = ms;
  }
  return out;
}

/** Snapshot keys of PostgreSQL's processes, one per pid; a delta sums those alive at both ends as `postgres`. */
const POSTGRES = 'postgres:';

/**
 * CPU ms per process between two snapshots (rounded). A PostgreSQL backend born in between (a pool connects lazily, at
 * its first query) counts all it used: it used it in between.
 */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(after)) {
    const postgres = k.startsWith(POSTGRES);
    if (!(k in before) && !postgres) continue;
    const name = postgres ? 'postgres' : k;
    out[name] = (out[name] ?? 0) + after[k]! - (before[k] ?? 0);
  }
  return Object.fromEntries(Object.entries(out).map(([k, ms]) => [k, Math.round(ms)]));
}

function selfCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The machine's 1-minute load average and core count, printed with every run (the machine is shared). */
export function machineLoad(): { load1: number; cores: number } {
  const [load1] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  return { load1: Number(load1), cores: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) };
}

/** CPU ms per thread name of a process (/proc/<pid>/task/*), summed over threads of the same name. */
export function threadCpuMs(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
