/** Workers log every state change at INFO; tests keep WARN and above so failures stay readable. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Installed already in this process by an earlier test file: keep that one.
}
