/** Jest runs the TypeScript tests directly; type checking is done once by `npm run typecheck`. */
/** ESM-only packages the service loads: jose; uuid (@vonage/jwt's); node-fetch 3 and its helpers (@vonage's). */
const ESM_ONLY = '(jose|uuid|node-fetch|fetch-blob|data-uri-to-buffer|formdata-polyfill)';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest', [`/node_modules/${ESM_ONLY}/.+\\.js$`]: '<rootDir>/test/helpers/esm-to-cjs.js' },
  // Node requires these as they are (require(esm)); Jest needs them as CommonJS. Some sit in a nested node_modules.
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)(?!.*/node_modules/${ESM_ONLY}/)`],
  // The client package is tested from its source (tsconfig.json maps it the same way);
  // test/client/package.test.ts builds it.
  moduleNameMapper: { '^@order-journeys/client$': '<rootDir>/packages/client/src/index.ts' },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  setupFiles: ['<rootDir>/test/helpers/quiet-temporal-logs.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
