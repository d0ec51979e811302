/**
 * MJML → HTML. MJML 5 compiles asynchronously, but `renderEmail` is synchronous (its callers spread its result), so the
 * layout is compiled either ahead of time with `compileMjmlInThread` (await it: nothing blocks), or, on first use
 * without that, with `compileMjmlSync`: the same compiler in a worker thread while this thread waits for its answer
 * (about half a second, once per process and direction, most of it loading MJML). Both leave MJML out of this thread's
 * heap. `compileMjml` compiles in this thread (the bench and tests). The compiled layout is cached by the caller.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** Strict: a layout MJML finds invalid is a bug to fix, not a warning to ship. */
export const MJML_OPTIONS = {
  validationLevel: 'strict',
  keepComments: false,
  minify: false,
  beautify: false,
  fonts: {},
} as const;

const SYNC_TIMEOUT_MS = 30_000;

export async function compileMjml(source: string): Promise<string> {
  // Loaded on first use: MJML takes ~0.5 s to load, and most processes that import the templates never compile.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy and synchronous; import() is ESM loading
  const mjml2html = require('mjml') as typeof import('mjml');
  const { html } = await mjml2html(source, MJML_OPTIONS);
  return html;
}

// Plain CommonJS, run as the worker's script: compile, post the answer, then wake the waiting thread.
const WORKER_SCRIPT = `
const { workerData } = require('node:worker_threads');
const { signal, port, mjmlPath, source, options } = workerData;
const answer = (message) => { port.postMessage(message); Atomics.store(signal, 0, 1); Atomics.notify(signal, 0); };
try {
  Promise.resolve(require(mjmlPath)(source, options)).then(
    (result) => answer({ html: result.html }),
    (err) => answer({ error: String((err && err.message) || err) }),
  );
} catch (err) {
  answer({ error: String((err && err.message) || err) });
}
`;

type Answer = { html?: string; error?: string } | undefined;

/** The compiler in a worker thread of its own: MJML is loaded there and goes with the thread. */
function startCompiler(source: string) {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SCRIPT, {
    eval: true,
    workerData: { signal, port: port2, mjmlPath: require.resolve('mjml'), source, options: MJML_OPTIONS },
    transferList: [port2],
  });
  const done = () => {
    port1.close();
    void worker.terminate();
  };
  return { signal, port: port1, worker, done };
}

function htmlOf(answer: Answer): string {
  if (!answer?.html)
    throw new Error(`MJML could not compile the email layout: ${answer?.error ?? 'no answer from the compiler'}`);
  return answer.html;
}

const timedOut = () => new Error(`MJML did not compile the email layout within ${SYNC_TIMEOUT_MS / 1000} s`);

export function compileMjmlSync(source: string): string {
  const { signal, port, done } = startCompiler(source);
  try {
    if (Atomics.wait(signal, 0, 0, SYNC_TIMEOUT_MS) === 'timed-out') throw timedOut();
    return htmlOf(receiveMessageOnPort(port)?.message as Answer);
  } finally {
    done();
  }
}

/**
 * The same compiler in a worker thread, awaited without blocking: for long-lived processes (the journey worker)
 * that compile ahead of time and should not keep MJML loaded for the rest of their life
 * (the worker's RSS at start was 27 MB larger with MJML compiled in process).
 */
export async function compileMjmlInThread(source: string): Promise<string> {
  const { port, worker, done } = startCompiler(source);
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await new Promise<Answer>((resolve, reject) => {
      port.once('message', resolve);
      worker.once('error', reject);
      timer = setTimeout(() => reject(timedOut()), SYNC_TIMEOUT_MS);
    });
    return htmlOf(answer);
  } finally {
    clearTimeout(timer);
    done();
  }
}
