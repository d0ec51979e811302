/**
 * Where a process's CPU went, from a V8 .cpuprofile (node --cpu-prof): self time by package or source file, and
 * inclusive time of the service's own functions (src/). Run: `npx tsx bench/profile.ts <file.cpuprofile>`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  /** Sampled time the process was not idle. */
  busyMs: number;
  selfByPlace: [string, number][];
  /** Self time by what it does for a request (GROUPS); the rest is "other". */
  byGroup: [string, number][];
  selfByFunction: [string, number][];
  inclusiveOurs: [string, number][];
}

/**
 * Where a frame lives: a package under node_modules, a file under src/ (or its build in dist/), node's internals, or
 * V8's pseudo-frames.
 */
function place(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`.replace(/^\(\((.*)\)\)$/, '($1)');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  // The bench runs the built service: dist/x.js is src/x.ts compiled (line numbers are the built file's).
  const ours = /\/(?:src|dist)\/(.*)$/.exec(url);
  if (ours) return `src/${ours[1]!}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

/** Places grouped by what they do for a request, first match wins (self time of a leaf frame). */
const GROUPS: [string, RegExp][] = [
  ['module loading at start-up (not per request)', /^(esbuild|tsx|get-tsconfig|node:internal\/modules|\(compile)/],
  [
    'Temporal client: gRPC, protobuf, SDK',
    /^(@grpc\/|protobufjs|@protobufjs\/|@temporalio\/|long$|node:internal\/http2|node:http2)/,
  ],
  [
    'logging: pino, redaction, sync writes to stdout',
    /^(pino|pino-http|@pinojs|sonic-boom|fast-redact|\(writeString\)|src\/logger|src\/observability\/request-logging)/,
  ],
  [
    'validation: zod, the order schema, phone numbers',
    /^(zod|libphonenumber-js|src\/domain\/(order|phone)|src\/api\/errors)/,
  ],
  ["the funnel's cohort note: pg, our SQL", /^(pg|pg-pool|pg-protocol|pg-types|postgres-|src\/db\/)/],
  [
    'fingerprint, API-key digests, payload encryption',
    /^(src\/journeys\/fingerprint|src\/temporal\/encryption-codec|node:internal\/crypto|\(randomFillSync\))/,
  ],
  [
    'HTTP server and express',
    /^(express|router|body-parser|raw-body|iconv-lite|on-finished|finalhandler|send|serve-static|path-to-regexp|content-type|type-is|qs|statuses|http-errors|depd|debug|node:_http|node:http|node:net|node:internal\/stream|node:stream|node:events|\(writev\))/,
  ],
  ['metrics (prom-client)', /^(prom-client|src\/observability\/api-metrics|src\/api\/metrics)/],
  ['garbage collection', /^\(garbage collector\)$/],
];

export function summarize(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    busyUs += us;
    const key = place(node.callFrame.url, node.callFrame.functionName);
    self.set(key, (self.get(key) ?? 0) + us);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${key}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
    selfFn.set(fn, (selfFn.get(fn) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      const where = place(f.url, f.functionName);
      if (!where.startsWith('src/')) continue;
      const name = `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`;
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      seen.add(name);
    }
  });
  const ms = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [k, Math.round(us / 100) / 10] as [string, number]);
  const groups = new Map<string, number>();
  for (const [where, us] of self) {
    const group = GROUPS.find(([, re]) => re.test(where))?.[0] ?? 'other (our routes, middleware, Node internals)';
    groups.set(group, (groups.get(group) ?? 0) + us);
  }
  return {
    busyMs: Math.round(busyUs / 1000),
    selfByPlace: ms(self),
    byGroup: ms(groups),
    selfByFunction: ms(selfFn),
    inclusiveOurs: ms(inclusive),
  };
}

const START_UP = GROUPS[0]![0];

/** One group's CPU per request in two processes serving the same requests (our API and the bare HTTP floor). */
export interface GroupPerRequest {
  group: string;
  oursUs: number;
  floorUs: number;
}

/**
 * Self time by group per request served, ours beside the floor's, start-up left out: what our API spends per order
 * beyond what any HTTP API in front of a start spends, and on what. Sorted by the difference.
 */
export function perRequestByGroup(
  ours: ProfileSummary,
  oursRequests: number,
  floor: ProfileSummary,
  floorRequests: number,
): GroupPerRequest[] {
  const perRequest = (s: ProfileSummary, n: number) =>
    new Map(s.byGroup.filter(([g]) => g !== START_UP).map(([g, ms]) => [g, Math.round((ms * 1000) / n)]));
  const a = perRequest(ours, oursRequests);
  const b = perRequest(floor, floorRequests);
  return [...new Set([...a.keys(), ...b.keys()])]
    .map((group) => ({ group, oursUs: a.get(group) ?? 0, floorUs: b.get(group) ?? 0 }))
    .sort((x, y) => y.oursUs - y.floorUs - (x.oursUs - x.floorUs));
}

export function printPerRequest(rows: GroupPerRequest[], say: (m: string) => void = console.log): void {
  const total = (k: 'oursUs' | 'floorUs') => rows.reduce((sum, r) => sum + r[k], 0);
  say('  CPU µs per request, our API vs the bare HTTP server (self time by what it does, start-up left out):');
  say(`    ${'ours'.padStart(6)} ${'floor'.padStart(6)} ${'more'.padStart(6)}`);
  for (const r of [...rows, { group: 'all', oursUs: total('oursUs'), floorUs: total('floorUs') }])
    say(
      `    ${String(r.oursUs).padStart(6)} ${String(r.floorUs).padStart(6)} ${String(r.oursUs - r.floorUs).padStart(6)}  ${r.group}`,
    );
}

export function printSummary(s: ProfileSummary, say: (m: string) => void = console.log): void {
  const line = ([k, v]: [string, number]) =>
    say(`    ${String(v).padStart(9)} ms  ${((v / s.busyMs) * 100).toFixed(1).padStart(5)} %  ${k}`);
  say(`CPU profile: ${s.busyMs} ms busy (idle left out); shares are of the busy time`);
  say('  self time by what it does:');
  s.byGroup.forEach(line);
  say('  self time by place:');
  s.selfByPlace.forEach(line);
  say('  self time by function:');
  s.selfByFunction.forEach(line);
  say('  inclusive time of our functions (src/; a middleware includes what runs after its next()):');
  s.inclusiveOurs.forEach(line);
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx bench/profile.ts <file.cpuprofile>');
    process.exit(2);
  }
  printSummary(summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile));
}
