/**
 * The memory allocator the worker's image runs on: jemalloc, preloaded (Dockerfile, `worker` target). The bench runs
 * the worker the same way when this machine has Debian's libjemalloc2, and says which allocator it measured.
 *
 * Why: after a burst of work glibc's malloc keeps the freed memory of its per-thread arenas. With 3,000 journeys
 * parked, the worker settled at 317 MB on glibc (arenas 20 → 119 MB), 293 MB with MALLOC_ARENA_MAX=2, and 205 MB on
 * jemalloc, which hands freed pages back after ~10 s (its base before any journey: 201 MB; docs/capacity.md).
 */
import { existsSync } from 'node:fs';

const MULTIARCH: Partial<Record<string, string>> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

/** Where the worker image links it and preloads it from (Dockerfile, `worker` target). */
export const IMAGE_JEMALLOC_PATH = '/usr/local/lib/libjemalloc.so.2';

/** Where the image links it, then where Debian's libjemalloc2 puts it on this architecture. */
export function jemallocPathCandidates(): string[] {
  const arch = MULTIARCH[process.arch];
  return [IMAGE_JEMALLOC_PATH, ...(arch ? [`/usr/lib/${arch}/libjemalloc.so.2`] : [])];
}

/** The first of those that exists. */
export function jemallocPath(): string | undefined {
  return jemallocPathCandidates().find((file) => existsSync(file));
}

/** The worker's allocator as its image sets it: LD_PRELOAD of jemalloc when installed, else none (glibc's malloc). */
export function workerAllocatorEnv(): { env: NodeJS.ProcessEnv; allocator: 'jemalloc' | 'glibc' } {
  const lib = jemallocPath();
  return lib ? { env: { LD_PRELOAD: lib }, allocator: 'jemalloc' } : { env: {}, allocator: 'glibc' };
}
