// Preloaded into a service process (NODE_OPTIONS="--import <this file>", since node refuses --cpu-prof there) to
// CPU-profile it: samples from start to exit, written to $BENCH_CPU_PROFILE_DIR/<pid>.cpuprofile (open it in Chrome
// DevTools, or summarise it with `npx tsx bench/profile.ts <file>`).
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.once('exit', () => {
    // Same-thread inspector sessions answer synchronously, so the profile is written before the process goes.
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
