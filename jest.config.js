/** Jest runs the TypeScript tests directly; type checking is done once by `npm run typecheck`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest', '/node_modules/jose/.+\\.js$': '<rootDir>/test/helpers/esm-to-cjs.js' },
  // jose is ESM only: Node requires it as is (require(esm)); Jest needs it as CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // The client package is tested from its source (tsconfig.json maps it the same way);
  // test/client/package.test.ts builds it.
  moduleNameMapper: { '^@order-journeys/client$': '<rootDir>/packages/client/src/index.ts' },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  setupFiles: ['<rootDir>/test/helpers/quiet-temporal-logs.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
