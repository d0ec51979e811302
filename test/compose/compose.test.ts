/**
 * temporal-compose.yml and the Dockerfile, checked without a Docker engine: Debian's `docker-compose config` validates
 * the file as Compose reads it (schema, interpolation, depends_on conditions), and these tests check what it cannot:
 * the app's environment is exactly the config's variables and a valid production config, the bootstrap registers
 * exactly the search attributes the code defines, images are pinned, and the start order waits for what each service
 * needs.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { IMAGE_JEMALLOC_PATH, jemallocPathCandidates } from '../../bench/allocator';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';
import { journeySearchAttributes } from '../../src/workflows/search-attributes';

const ROOT = path.resolve(__dirname, '../..');
const COMPOSE_FILE = path.join(ROOT, 'temporal-compose.yml');
const APP_SERVICES = ['migrate', 'api', 'worker'];
/** One-shot jobs: others wait for them to finish successfully. */
const JOBS = ['temporal-schema', 'temporal-bootstrap', 'migrate'];

/** What an operator puts in .env: the values the compose file insists on (`${NAME:?…}`). */
const SECRETS: Record<string, string> = {
  PAYLOAD_ENCRYPTION_KEYS: `k2026:${randomBytes(32).toString('base64')}`,
  API_KEYS_CHECKOUT: 'compose-checkout-key',
  API_KEYS_SUPPORT: 'compose-support-key',
  UNSUBSCRIBE_SECRET: randomBytes(24).toString('hex'),
};

interface Service {
  image?: string;
  build?: { context: string; target?: string };
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: unknown };
  restart?: string;
  ports?: string[];
  volumes?: string[];
  command?: string[];
}

const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

/** Compose's interpolation, as far as this file uses it: ${NAME}, ${NAME:-default}, ${NAME:?message}. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}/g,
    (_m, name: string, op: string | undefined, arg: string) => {
      const set = env[name] !== undefined && (env[name] !== '' || !op?.startsWith(':'));
      if (set) return env[name]!;
      if (op?.endsWith('?')) throw new Error(`${name} must be set: ${arg}`);
      return op ? arg : '';
    },
  );
}

function environmentOf(service: string, env: Record<string, string> = SECRETS): Record<string, string> {
  return Object.fromEntries(
    Object.entries(services[service]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v ?? ''), env)]),
  );
}

describe('temporal-compose.yml', () => {
  it("is valid Compose: `docker-compose config` accepts it (Debian's docker-compose; .ci/run installs it)", () => {
    const run = (env: Record<string, string>) =>
      spawnSync('docker-compose', ['-f', COMPOSE_FILE, 'config', '-q'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...env },
      });
    const checked = run(SECRETS);
    if (checked.error)
      throw new Error(
        `docker-compose is not installed (${checked.error.message}): apt-get install docker-compose, as .ci/run does`,
      );
    expect({ status: checked.status, stderr: checked.stderr }).toEqual({ status: 0, stderr: '' });
    // Without the secrets the stack refuses to start rather than run with empty keys.
    const unset = run({});
    expect(unset.status).not.toBe(0);
    expect(unset.stderr).toMatch(/PAYLOAD_ENCRYPTION_KEYS|API_KEYS_|UNSUBSCRIBE_SECRET/);
  });

  it('gives the API, the worker and the migrations only variables src/config.ts reads, making a valid production config', () => {
    for (const service of APP_SERVICES) {
      const env = environmentOf(service);
      expect({ service, unknown: Object.keys(env).filter((name) => !CONFIG_VARIABLES.includes(name)) }).toEqual({
        service,
        unknown: [],
      });
      const config = loadConfig(env); // throws, naming the variable, when the compose environment is not a valid config
      expect(config.env).toBe('production');
      expect(config.temporal.address).toBe('temporal:7233');
      expect(config.databaseUrl).toMatch(/@app-db:5432\//);
    }
    const worker = loadConfig(environmentOf('worker'));
    expect(services.worker!.ports).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`:${worker.observability.workerMetricsPort}$`)),
        expect.stringMatching(new RegExp(`:${worker.observability.workerSdkMetricsPort}$`)),
      ]),
    );
  });

  it('bootstraps exactly the search attributes the code defines, in the namespace the service uses', () => {
    const bootstrap = environmentOf('temporal-bootstrap');
    const registered = bootstrap.SEARCH_ATTRIBUTES!.split(/\s+/).filter(Boolean).sort();
    const CLI_TYPE: Record<string, string> = {
      KEYWORD: 'Keyword',
      TEXT: 'Text',
      INT: 'Int',
      DOUBLE: 'Double',
      BOOL: 'Bool',
      DATETIME: 'Datetime',
      KEYWORD_LIST: 'KeywordList',
    };
    expect(registered).toEqual(journeySearchAttributes.map((key) => `${key.name}=${CLI_TYPE[key.type]}`).sort());
    for (const service of APP_SERVICES)
      expect(environmentOf(service).TEMPORAL_NAMESPACE).toBe(bootstrap.TEMPORAL_NAMESPACE);
    // SQL visibility's per-namespace limits (10 Keyword; 3 of each other type).
    const perType = registered.reduce<Record<string, number>>(
      (n, a) => ({ ...n, [a.split('=')[1]!]: (n[a.split('=')[1]!] ?? 0) + 1 }),
      {},
    );
    for (const [type, count] of Object.entries(perType)) expect(count).toBeLessThanOrEqual(type === 'Keyword' ? 10 : 3);
  });

  it("points the Temporal UI at the API's codec server, which allows the UI's origin", () => {
    const ui = environmentOf('temporal-ui');
    const api = loadConfig(environmentOf('api'));
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`${api.publicBaseUrl}/codec`);
    const uiPort = services['temporal-ui']!.ports![0]!.split(':').at(-2);
    expect(api.codec.corsOrigins).toContain(`http://localhost:${uiPort}`);
  });

  it('pins every image to a release (no latest, no auto-setup), server and admin tools of the same one', () => {
    const images = Object.entries(services)
      .filter(([, s]) => s.image && !s.build)
      .map(([name, s]) => [name, s.image!] as const);
    for (const [name, image] of images) {
      expect({ name, image, pinned: /^[\w./-]+:\d+(\.\d+)+$/.test(image) }).toEqual({ name, image, pinned: true });
      expect(image).not.toMatch(/auto-setup|latest/);
    }
    const tagOf = (repo: string) =>
      new Set(images.filter(([, i]) => i.startsWith(`${repo}:`)).map(([, i]) => i.split(':')[1]));
    expect([...tagOf('temporalio/server')]).toEqual([...tagOf('temporalio/admin-tools')]);
  });

  it('starts each service only once what it needs is healthy or done', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = service.depends_on ?? {};
      expect({ name, longForm: !Array.isArray(deps) }).toEqual({ name, longForm: true });
      for (const [dependency, { condition }] of Object.entries(deps as Record<string, { condition: string }>)) {
        const expected = JOBS.includes(dependency) ? 'service_completed_successfully' : 'service_healthy';
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: expected });
        if (expected === 'service_healthy')
          expect({ dependency, healthcheck: Boolean(services[dependency]?.healthcheck) }).toEqual({
            dependency,
            healthcheck: true,
          });
      }
    }
    // Long-running services report their health (the support shell aside); jobs run once.
    for (const [name, service] of Object.entries(services)) {
      if (JOBS.includes(name)) expect({ name, restart: service.restart }).toEqual({ name, restart: 'no' });
      else if (name !== 'temporal-admin-tools')
        expect({ name, healthcheck: Boolean(service.healthcheck) }).toEqual({ name, healthcheck: true });
    }
    expect(Object.keys(services.api!.depends_on!)).toEqual(expect.arrayContaining(['migrate', 'temporal-bootstrap']));
    expect(Object.keys(services.worker!.depends_on!)).toEqual(
      expect.arrayContaining(['migrate', 'temporal-bootstrap']),
    );
  });

  it("keeps the app's database apart from Temporal's, and mounts only files that exist", () => {
    expect(environmentOf('api').DATABASE_URL).toContain('@app-db:');
    expect(environmentOf('temporal').POSTGRES_SEEDS).toBe('temporal-db');
    const mounted = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .filter((v) => v.startsWith('./'))
      .map((v) => v.split(':')[0]!);
    expect(mounted.length).toBeGreaterThan(0);
    for (const hostPath of mounted)
      expect({ hostPath, exists: existsSync(path.join(ROOT, hostPath)) }).toEqual({ hostPath, exists: true });
    expect(environmentOf('temporal').DYNAMIC_CONFIG_FILE_PATH).toBe('config/dynamicconfig/production-sql.yaml');
    expect(existsSync(path.join(ROOT, 'deploy/temporal/dynamicconfig/production-sql.yaml'))).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({
    from: m[1]!,
    name: m[2],
  }));

  it('builds the targets compose asks for, from a pinned Node 20 image, running as a non-root user', () => {
    const targets = Object.values(services).flatMap((s) => (s.build?.target ? [s.build.target] : []));
    expect(new Set(targets)).toEqual(new Set(['api', 'worker']));
    for (const target of targets) expect(stages.map((s) => s.name)).toContain(target);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20\.\d+\.\d+-\S+$/m);
    const runtime = dockerfile.slice(dockerfile.search(/AS runtime/));
    expect(runtime).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toContain('CMD ["node", "dist/server.js"]');
    expect(dockerfile).toContain('CMD ["node", "dist/worker.js"]');
    // The migrations job runs the compiled src/migrate.ts.
    expect(services.migrate!.command).toEqual(['node', 'dist/migrate.js']);
    expect(existsSync(path.join(ROOT, 'src/migrate.ts'))).toBe(true);
  });

  it('preloads jemalloc into the worker, from the path the bench looks at first, and drops back to the node user', () => {
    const worker = dockerfile.slice(dockerfile.search(/^FROM runtime AS worker$/m));
    expect(worker).toMatch(/apt-get install -y --no-install-recommends libjemalloc2/);
    expect(worker).toContain(`ln -s "$(find /usr/lib -name libjemalloc.so.2 | head -n 1)" ${IMAGE_JEMALLOC_PATH}`);
    expect(worker).toMatch(new RegExp(`^ENV LD_PRELOAD=${IMAGE_JEMALLOC_PATH.replace(/\./g, '\\.')}$`, 'm'));
    expect([...worker.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]).at(-1)).toBe('node');
    expect(jemallocPathCandidates()[0]).toBe(IMAGE_JEMALLOC_PATH);
  });
});
