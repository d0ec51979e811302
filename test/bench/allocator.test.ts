/**
 * The worker image's allocator (Dockerfile, `worker` target: jemalloc preloaded), as the bench reproduces it
 * (bench/allocator.ts): the preload really replaces malloc in a Node process, and the SDK's native core starts on it.
 * .ci/run installs Debian's libjemalloc2.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { workerAllocatorEnv } from '../../bench/allocator';

const ROOT = path.join(__dirname, '..', '..');

function node(script: string, env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
}

const MAPS_JEMALLOC =
  "process.stdout.write(String(/libjemalloc/.test(require('fs').readFileSync('/proc/self/maps', 'utf8'))))";

describe('the worker allocator', () => {
  const { env, allocator } = workerAllocatorEnv();

  it('is jemalloc on this machine, as in the worker image', () => {
    expect(allocator).toBe('jemalloc');
    expect(env.LD_PRELOAD).toMatch(/libjemalloc\.so\.2$/);
  });

  it('is mapped into a Node process started with its environment, and only then', () => {
    expect(node(MAPS_JEMALLOC, env).stdout).toBe('true');
    expect(node(MAPS_JEMALLOC, {}).stdout).toBe('false');
  });

  it("runs the Temporal SDK's native core", () => {
    const run = node(
      "const { Runtime } = require('@temporalio/worker'); Runtime.instance(); " +
        "Runtime.instance().shutdown().then(() => process.stdout.write('core up and down'));",
      env,
    );
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.stdout).toBe('core up and down');
  });
});
