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
  totalMs: number;
  selfByPlace: [string, number][];
  inclusiveOurs: [string, number][];
}

/** Where a frame lives: a package under node_modules, a file under src/, node's internals, or V8's pseudo-frames. */
function place(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`.replace(/^\(\((.*)\)\)$/, '($1)');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(src\/.*)$/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

export function summarize(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    const node = byId.get(id)!;
    const key = place(node.callFrame.url, node.callFrame.functionName);
    self.set(key, (self.get(key) ?? 0) + us);
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
  const ms = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => [k, Math.round(us / 100) / 10] as [string, number]);
  return { totalMs: Math.round(totalUs / 1000), selfByPlace: ms(self), inclusiveOurs: ms(inclusive) };
}

export function printSummary(s: ProfileSummary, say: (m: string) => void = console.log): void {
  say(`CPU profile: ${s.totalMs} ms sampled`);
  say('  self time by place:');
  for (const [k, v] of s.selfByPlace) say(`    ${String(v).padStart(9)} ms  ${((v / s.totalMs) * 100).toFixed(1).padStart(5)} %  ${k}`);
  say('  inclusive time of our functions (src/):');
  for (const [k, v] of s.inclusiveOurs) say(`    ${String(v).padStart(9)} ms  ${((v / s.totalMs) * 100).toFixed(1).padStart(5)} %  ${k}`);
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx bench/profile.ts <file.cpuprofile>');
    process.exit(2);
  }
  printSummary(summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile));
}
