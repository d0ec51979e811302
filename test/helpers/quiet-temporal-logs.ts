/**
 * Workers log every state change at INFO; tests keep WARN and above so failures stay readable.
 *
 * Set as the Runtime's default, not installed: each test file has its own module registry, so an installed Runtime
 * would start Core (two threads) in every file, and in a file that never closes a Worker or connection nothing shuts
 * it down. The default starts Core only when a file needs it, and the SDK shuts it down when that file's last Worker,
 * connection or test server closes.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.defaultOptions = { logger: new DefaultLogger('WARN') };
