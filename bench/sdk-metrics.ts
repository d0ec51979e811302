/**
 * Where a worker's tasks spent their time, from its Temporal SDK metrics (Prometheus text): for each latency
 * histogram, how many tasks and their mean time between two scrapes. Schedule-to-start is how long a task waited
 * for a worker to take it; execution is how long the worker took.
 */

/** Sum and count of each histogram (a counter: its value as count) in a Prometheus text, over its label sets. */
export type Histograms = Map<string, { sum: number; count: number }>;

const HISTOGRAMS = [
  'temporal_workflow_task_schedule_to_start_latency',
  'temporal_workflow_task_execution_latency',
  'temporal_activity_schedule_to_start_latency',
  'temporal_activity_execution_latency',
  'temporal_workflow_task_replay_latency',
];
/** Counters read beside them: sticky-cache hits and misses (a miss replays the whole history). */
const COUNTERS = ['temporal_sticky_cache_hit', 'temporal_sticky_cache_miss'];

export function parseHistograms(text: string): Histograms {
  const found: Histograms = new Map();
  for (const line of text.split('\n')) {
    const c = /^([a-z_]+?)(?:_total)?(?:\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (c && COUNTERS.includes(c[1]!)) {
      const h = found.get(c[1]!) ?? { sum: 0, count: 0 };
      h.count += Number(c[2]);
      found.set(c[1]!, h);
      continue;
    }
    const m = /^([a-z_]+?)(?:_seconds)?_(sum|count)(?:\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (!m || !HISTOGRAMS.includes(m[1]!)) continue;
    const h = found.get(m[1]!) ?? { sum: 0, count: 0 };
    h[m[2] as 'sum' | 'count'] += Number(m[3]);
    found.set(m[1]!, h);
  }
  return found;
}

export async function scrapeHistograms(url: string): Promise<Histograms> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return parseHistograms(await res.text());
}

/**
 * Tasks and their mean milliseconds between two scrapes, by histogram (its name without temporal_ and _latency); a
 * counter's increase as its tasks, with no mean.
 */
export function taskTimes(before: Histograms, after: Histograms): Record<string, { tasks: number; meanMs?: number }> {
  const out: Record<string, { tasks: number; meanMs?: number }> = {};
  for (const [name, a] of after) {
    const b = before.get(name) ?? { sum: 0, count: 0 };
    const tasks = a.count - b.count;
    if (tasks <= 0) continue;
    const short = name.replace(/^temporal_/, '').replace(/_latency$/, '');
    out[short] = COUNTERS.includes(name)
      ? { tasks }
      : { tasks, meanMs: Math.round(((a.sum - b.sum) / tasks) * 1000 * 10) / 10 };
  }
  return out;
}
