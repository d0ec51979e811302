import { DEFAULT_MAX_CACHED_WORKFLOWS, DEV_API_KEYS, DEV_ENCRYPTION_KEYS, loadConfig } from '../../src/config';
import { demoPolicy, productionPolicy, resolvePolicy } from '../../src/domain/policy';
import { problemsOf } from '../helpers/config-problems';

const base = { DATABASE_URL: 'postgres://localhost:5432/app' };

describe('configuration', () => {
  it('starts a developer laptop on defaults: local Temporal, dev keys, port 3000', () => {
    const config = loadConfig(base);
    expect(config.temporal).toMatchObject({
      address: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'order-journeys',
      tls: undefined,
      apiKey: undefined,
    });
    expect(config.temporal.encryptionKeys.map((k) => k.id)).toEqual(['dev']);
    expect(config.apiKeys).toEqual({ checkout: [DEV_API_KEYS.checkout], support: [DEV_API_KEYS.support] });
    expect(config.port).toBe(3000);
    expect(config.journeyPolicy).toBe('production');
    expect(config.sendgrid).toBeUndefined();
  });

  it('lays JOURNEY_POLICY_OVERRIDES over the named policy', () => {
    const config = loadConfig({
      ...base,
      JOURNEY_POLICY: 'demo',
      JOURNEY_POLICY_OVERRIDES: '{"reviewRequestDelayDays":12,"returnWindowDays":365}',
    });
    const policy = resolvePolicy(config.journeyPolicy, config.journeyPolicyOverrides);
    expect(policy).toEqual({ ...demoPolicy, reviewRequestDelayDays: 12, returnWindowDays: 365 });
    expect(resolvePolicy(loadConfig(base).journeyPolicy, loadConfig(base).journeyPolicyOverrides)).toBe(
      productionPolicy,
    );
  });

  it('names a bad policy override: not JSON, an unknown field, a value outside its rule', () => {
    expect(problemsOf({ ...base, JOURNEY_POLICY_OVERRIDES: '{review: 12}' })).toEqual([
      expect.stringMatching(/^JOURNEY_POLICY_OVERRIDES must be a JSON object/),
    ]);
    expect(problemsOf({ ...base, JOURNEY_POLICY_OVERRIDES: '{"reviewDays":12}' })).toEqual([
      expect.stringMatching(/^JOURNEY_POLICY_OVERRIDES .*reviewDays/),
    ]);
    expect(problemsOf({ ...base, JOURNEY_POLICY_OVERRIDES: '{"reviewRequestDelayDays":20}' })).toEqual([
      expect.stringMatching(/^JOURNEY_POLICY_OVERRIDES.reviewRequestDelayDays must be at most 15 days/),
    ]);
  });

  it('names a missing database URL', () => {
    expect(problemsOf({})).toEqual(['DATABASE_URL is required']);
  });

  it('names each bad value and says what it should be', () => {
    const problems = problemsOf({
      ...base,
      PORT: 'eighty',
      TWILIO_FROM: '0712345',
      TWILIO_ACCOUNT_SID: 'AC123',
      TWILIO_AUTH_TOKEN: 'x',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT /),
        expect.stringMatching(/^TWILIO_FROM must be an E\.164 number/),
        expect.stringMatching(/^TWILIO_ACCOUNT_SID must be "AC" followed by 32 hex digits/),
      ]),
    );
  });

  it('refuses a database URL that is not PostgreSQL', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://localhost/app' })).toEqual([
      'DATABASE_URL must be a postgres:// or postgresql:// URL',
    ]);
  });

  it('asks for the partner of a half-configured provider', () => {
    expect(problemsOf({ ...base, SENDGRID_API_KEY: 'SG.abc' })).toEqual([
      'SENDGRID_FROM is required when SENDGRID_API_KEY is set (SendGrid email)',
    ]);
  });

  it('refuses to run production without API keys, or with the published dev keys', () => {
    expect(problemsOf({ ...base, NODE_ENV: 'production' })).toEqual(
      expect.arrayContaining([
        'API_KEYS_CHECKOUT is required in production',
        'API_KEYS_SUPPORT is required in production',
      ]),
    );
    const devKey = problemsOf({
      ...base,
      NODE_ENV: 'production',
      API_KEYS_CHECKOUT: 'k1',
      API_KEYS_SUPPORT: DEV_API_KEYS.support,
    });
    expect(devKey).toContain('API_KEYS_SUPPORT must not use the published dev keys in production');
    expect(devKey).not.toContain('API_KEYS_CHECKOUT must not use the published dev keys in production');
  });

  it('refuses production without payload encryption keys, with the dev key, or with the open dev codec', () => {
    expect(problemsOf({ ...base, NODE_ENV: 'production' })).toContain(
      'PAYLOAD_ENCRYPTION_KEYS is required in production',
    );
    expect(
      problemsOf({
        ...base,
        NODE_ENV: 'production',
        PAYLOAD_ENCRYPTION_KEYS: DEV_ENCRYPTION_KEYS,
        CODEC_OPEN_IN_DEV: 'true',
      }),
    ).toEqual(
      expect.arrayContaining([
        'PAYLOAD_ENCRYPTION_KEYS must not use the published dev key in production',
        'CODEC_OPEN_IN_DEV must not be set in production',
      ]),
    );
  });

  it('reads a rotating payload key ring, and names a malformed one', () => {
    const k = (n: number) => Buffer.alloc(32, n).toString('base64');
    expect(
      loadConfig({ ...base, PAYLOAD_ENCRYPTION_KEYS: `2026b:${k(2)},2026a:${k(1)}` }).temporal.encryptionKeys.map(
        (x) => x.id,
      ),
    ).toEqual(['2026b', '2026a']);
    expect(problemsOf({ ...base, PAYLOAD_ENCRYPTION_KEYS: 'x:c2hvcnQ=' })).toEqual([
      'PAYLOAD_ENCRYPTION_KEYS key "x" must decode to 32 bytes (it has 5); make one with: openssl rand -base64 32',
    ]);
  });

  it('reads several keys per role, and Temporal Cloud settings', () => {
    const config = loadConfig({
      ...base,
      API_KEYS_CHECKOUT: 'k1, k2',
      TEMPORAL_ADDRESS: 'shop.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'shop.a1b2c',
      TEMPORAL_API_KEY: 'secret',
    });
    expect(config.apiKeys.checkout).toEqual(['k1', 'k2']);
    expect(config.temporal).toMatchObject({
      address: 'shop.a1b2c.tmprl.cloud:7233',
      namespace: 'shop.a1b2c',
      apiKey: 'secret',
    });
  });

  it("reads the worker's cache size, and names one that is not a whole number", () => {
    expect(loadConfig(base).temporal.maxCachedWorkflows).toBe(DEFAULT_MAX_CACHED_WORKFLOWS); // not the SDK's
    expect(loadConfig({ ...base, TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS: '500' }).temporal.maxCachedWorkflows).toBe(500);
    expect(problemsOf({ ...base, TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS: '12.5' })).toEqual([
      expect.stringMatching(/^TEMPORAL_WORKER_MAX_CACHED_WORKFLOWS must be a whole number of workflows/),
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ ...base, PORT: '' }).port).toBe(3000);
  });
});
