/**
 * The import graph's rules, checked by `npm run deps:check` (part of `npm test`). Arrows run one way:
 *
 *   server.ts / worker.ts / migrate.ts   composition roots: may import anything
 *   api/          HTTP: routes, webhooks, metrics middleware — nothing below imports it
 *   config/       reads the environment and assembles the adapters' own option types
 *   observability/, temporal/, providers/   adapters: own their options, never import config or api
 *   workflows/    deterministic: domain and @temporalio/workflow; activities only as types
 *   domain/       pure rules: imports nothing of ours but domain
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
const adapters = '^src/(providers|temporal|observability)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle means two modules are one idea, or an arrow runs back up. A type-only import back is allowed: it ' +
        'is erased at compile time (routers declare their operations on the OpenAPI registry\'s type).',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'nothing-imports-api',
      severity: 'error',
      comment: 'The HTTP layer is the top: config, adapters, domain and workflows never reach into it.',
      from: { path: '^src/', pathNot: '^src/(api/|server\\.ts$)' },
      to: { path: '^src/api/' },
    },
    {
      name: 'adapters-do-not-import-config',
      severity: 'error',
      comment: 'Adapters own their option types; config assembles them (src/config/), not the other way round.',
      from: { path: adapters },
      to: { path: '^src/config(/|\\.ts$)' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      comment: 'Providers, Temporal plumbing and observability are side by side, not stacked; observability may ' +
        'instrument providers (it wraps them) but nothing imports observability or temporal from a provider.',
      from: { path: '^src/(providers|temporal)/' },
      to: { path: '^src/(providers|temporal|observability)/', pathNot: '^src/$1/' },
    },
    {
      name: 'observability-does-not-import-temporal',
      severity: 'error',
      from: { path: '^src/observability/' },
      to: { path: '^src/temporal/' },
    },
    {
      name: 'config-reads-adapters-not-runtime',
      severity: 'error',
      comment: 'Config may import the adapters\' option types and parsers, never the runtime that uses the config.',
      from: { path: '^src/config/' },
      to: { path: '^src/(activities|workflows|journeys|db|observability|server\\.ts|worker\\.ts|migrate\\.ts)' },
    },
    {
      name: 'config-takes-temporal-types-only',
      severity: 'error',
      comment: 'From src/temporal config takes TemporalSettings (a type) and the key-ring parser: nothing that connects.',
      from: { path: '^src/config/' },
      to: { path: '^src/temporal/(?!encryption-codec\\.ts$)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-stay-deterministic',
      severity: 'error',
      comment: 'Workflow code runs in the sandbox and replays: no activities\' code, providers, database, API or ' +
        'process plumbing (activities only as types).',
      from: { path: '^src/workflows/' },
      to: {
        path: '^src/(providers|db|api|config|temporal|observability|journeys|server\\.ts|worker\\.ts|logger\\.ts)',
      },
    },
    {
      name: 'workflows-load-no-country-tables',
      severity: 'error',
      comment: 'Every module a workflow imports is instantiated once per cached workflow: the phone-number and ' +
        'time-zone tables come only through src/workflows/zones.ts, on demand, for journeys started without zones.',
      from: { path: '^src/workflows/', pathNot: '^src/workflows/zones\\.ts$' },
      to: { path: '^src/domain/(recipient-zones|phone)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-import-activities-as-types',
      severity: 'error',
      from: { path: '^src/workflows/' },
      to: { path: '^src/activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-use-no-node-modules',
      severity: 'error',
      comment: 'Node built-ins (fs, crypto, http…) have no place in the workflow sandbox.',
      from: { path: '^src/workflows/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Domain rules import only other domain rules (and libraries), so workflows and adapters can share them.',
      from: { path: '^src/domain/' },
      to: { path: '^src/(?!domain/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    // Type-only imports are arrows too (and are told apart for the rules that allow them).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
