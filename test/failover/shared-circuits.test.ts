/**
 * The circuit breakers live in PostgreSQL: two workers (two ProviderCircuits on their own pools, same database) see
 * one state, and only one of them gets the half-open probe. With the database away, a breaker never blocks a send.
 */
import type { Pool } from 'pg';
import { createPool } from '../../src/db/pool';
import { ProviderCircuits } from '../../src/db/provider-circuits';
import type { CircuitSettings } from '../../src/domain/provider-circuit';
import { createProviders } from '../../src/providers';
import { OutboxStore } from '../../src/db/outbox';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';
import { freePort } from '../helpers/postgres';
import { sendGridError, startProviderStub, type ProviderStub } from '../helpers/provider-stubs';
import { aConfirmationEmail, SENDGRID_API_KEY } from '../providers/messages';
import { startResendStandIn, type ResendStandIn } from './resend-stand-in';

const SETTINGS: CircuitSettings = { failureThreshold: 2, openForMs: 60_000, probeTimeoutMs: 5_000 };

/** The open period passes: its start moves back by a period (no test waits a minute, none races a short period). */
async function openPeriodPasses(pool: Pool, provider: string): Promise<void> {
  await pool.query(
    `UPDATE provider_circuits SET opened_at = opened_at - make_interval(secs => $2) WHERE provider = $1`,
    [provider, SETTINGS.openForMs / 1000],
  );
}

describe('two workers on one database', () => {
  let poolA: Pool;
  let poolB: Pool;
  let workerA: ProviderCircuits;
  let workerB: ProviderCircuits;

  beforeAll(() => {
    [poolA, poolB] = [testPool(), testPool()];
    [workerA, workerB] = [new ProviderCircuits(poolA, SETTINGS), new ProviderCircuits(poolB, SETTINGS)];
  });
  afterAll(async () => {
    await Promise.all([poolA?.end(), poolB?.end()]);
  });

  it('share one circuit: failures seen by one open it for the other', async () => {
    const provider = uniqueId('provider');
    await workerA.recordFailure(provider);
    expect(await workerB.admit(provider)).toBe('send'); // one failure: still closed
    await workerB.recordFailure(provider);

    expect(await workerA.admit(provider)).toBe('skip');
    expect(await workerB.admit(provider)).toBe('skip');
    expect((await workerA.states())[provider]).toBe('open');
  });

  it('give the half-open probe to exactly one of many concurrent sends, then close for both on its success', async () => {
    const provider = uniqueId('provider');
    await workerA.recordFailure(provider);
    await workerA.recordFailure(provider);
    await openPeriodPasses(poolA, provider);

    const admissions = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? workerA : workerB).admit(provider)),
    );
    expect(admissions.filter((a) => a === 'probe')).toHaveLength(1);
    expect(admissions.filter((a) => a === 'skip')).toHaveLength(9);
    expect((await workerB.states())[provider]).toBe('half_open');

    await workerB.recordSuccess(provider);
    expect(await workerA.admit(provider)).toBe('send');
    expect((await workerA.states())[provider]).toBe('closed');
  });

  it('open again for a whole period when the probe fails', async () => {
    const provider = uniqueId('provider');
    await workerA.recordFailure(provider);
    await workerA.recordFailure(provider);
    await openPeriodPasses(poolA, provider);
    expect(await workerA.admit(provider)).toBe('probe');

    await workerA.recordFailure(provider);
    expect(await workerB.admit(provider)).toBe('skip');
    expect((await workerB.states())[provider]).toBe('open');
  });
});

describe('with the database away', () => {
  let deadPool: Pool;
  let sendgridApi: ProviderStub;
  let resendApi: ResendStandIn;

  beforeAll(async () => {
    deadPool = createPool(`postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, 2);
    [sendgridApi, resendApi] = await Promise.all([startProviderStub(), startResendStandIn()]);
  });
  afterAll(async () => {
    await Promise.all([sendgridApi?.stop(), resendApi?.stop(), deadPool?.end()]);
  });

  function providers() {
    const errors: string[] = [];
    const { email } = createProviders(
      {
        sendgrid: { apiKey: SENDGRID_API_KEY, from: 'orders@test-shop.example', baseUrl: sendgridApi.url },
        resend: { apiKey: 're_test_not_a_real_key', from: 'orders@test-shop.example', baseUrl: resendApi.url },
      },
      new OutboxStore(deadPool),
      {
        breaker: new ProviderCircuits(deadPool, SETTINGS),
        onBreakerError: (_err, operation, provider) => errors.push(`${operation}:${provider}`),
      },
    );
    return { email, errors };
  }

  it('the breaker behaves as closed: the primary still gets the message, and nothing is thrown', async () => {
    const { email, errors } = providers();
    sendgridApi.answerWith({ status: 202, headers: { 'x-message-id': 'sg-1' } });

    await expect(email.sendEmail(aConfirmationEmail())).resolves.toEqual({
      providerMessageId: 'sg-1',
      provider: 'sendgrid',
    });
    expect(errors).toEqual(['admit:sendgrid', 'recordSuccess:sendgrid']);
  });

  it('failover itself still works: a primary outage sends through the secondary', async () => {
    const { email } = providers();
    sendgridApi.answerWith(sendGridError(503, [{ field: null, message: 'Service Unavailable' }]));
    const message = aConfirmationEmail();

    await expect(email.sendEmail(message)).resolves.toMatchObject({ provider: 'resend' });
    expect(resendApi.emails.has(message.idempotencyKey)).toBe(true);
  });
});
