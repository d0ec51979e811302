/**
 * The providers' published OpenAPI specs, served by Stoplight Prism on 127.0.0.1 as contract servers: with `--errors`
 * every request that breaks the spec is refused (SendGrid 400, Twilio 422) and the reason is logged, so an accepted
 * send proves the SDK-built request matches the provider's own contract.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { freePort } from './postgres';

const repoRoot = path.resolve(__dirname, '..', '..');
/** The providers' published specs, vendored unchanged with their licences and source commits (see its README). */
export const SPECS_DIR = path.join(repoRoot, 'test', 'contracts', 'specs');

export function specPath(
  file: 'tsg_mail_v3.json' | 'twilio_api_v2010.json' | 'resend.json' | 'vonage_sms.yml',
): string {
  const spec = path.join(SPECS_DIR, file);
  if (!existsSync(spec)) {
    throw new Error(
      `Provider contract spec not found: ${spec}. The contract tests read the vendored specs in test/contracts/specs.`,
    );
  }
  return spec;
}

export interface ContractRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  status?: number;
  /** What Prism said broke the spec (empty when the request passed). */
  violations: string;
}

export interface ContractServer {
  url: string;
  /** What reached the contract server: a test checks the accepted request carried what it meant to send. */
  requests: ContractRequest[];
  /** Prism's recent output: the validation verdicts for the last requests, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

const PRISM_CLI = path.join(path.dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
const READY_TIMEOUT_MS = 30_000;
const LOG_LINES_KEPT = 60;

export async function startPrism(spec: string): Promise<ContractServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [PRISM_CLI, 'mock', spec, '-h', '127.0.0.1', '-p', String(port), '--errors'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const log = () => lines.join('\n');
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - LOG_LINES_KEPT));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  try {
    await waitUntilListening(child, log);
  } catch (err) {
    await stop(child);
    throw err;
  }
  const recorder = await startRecorder(port);
  return {
    url: recorder.url,
    requests: recorder.requests,
    log,
    stop: async () => {
      await recorder.stop();
      await stop(child);
    },
  };
}

/** A pass-through in front of Prism that keeps each request as sent (Prism logs its verdict, not the body). */
async function startRecorder(prismPort: number) {
  const requests: ContractRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const recorded: ContractRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: body.toString(),
        violations: '',
      };
      requests.push(recorded);
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: prismPort,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: `127.0.0.1:${prismPort}` },
        },
        (answer) => {
          const reply: Buffer[] = [];
          answer.on('data', (c: Buffer) => reply.push(c));
          answer.on('end', () => {
            recorded.status = answer.statusCode;
            // Prism names violations in a header when the spec defines the error answer, else in a problem+json body.
            const problem = (answer.statusCode ?? 0) >= 400 ? Buffer.concat(reply).toString() : '';
            recorded.violations = [answer.headers['sl-violations'], problem].filter(Boolean).join('\n');
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(reply));
          });
        },
      );
      upstream.on('error', (err) => res.destroy(err));
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function waitUntilListening(child: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`Prism did not start within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    const onData = () => {
      if (log().includes('Prism is listening')) done();
    };
    const onExit = (code: number | null) => fail(`Prism exited (code ${code}) before listening`);
    const done = () => {
      cleanup();
      resolve();
    };
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`${why}:\n${log()}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Rethrows a failed send with Prism's verdict attached: the violation names the field that broke the contract. */
export function withContractVerdicts(server: ContractServer) {
  return (err: unknown): never => {
    const what = err instanceof Error ? err.message : String(err);
    const verdict = server.requests.at(-1)?.violations || '(no request reached the contract server)';
    throw new Error(`${what}\n--- contract violations ---\n${verdict}\n--- contract server log ---\n${server.log()}`);
  };
}
