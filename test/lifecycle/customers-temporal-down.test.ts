/**
 * Support sets a birth date while Temporal cannot be reached: the API answers 503 with Retry-After and says which
 * workflow could not be told, never 500 — the same answer an order's start gets (src/journeys/temporal-faults.ts).
 */
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { testPool } from '../helpers/database';
import { uniqueId } from '../helpers/fixtures';
import { freePort } from '../helpers/postgres';
import { TEST_KEYS } from '../helpers/api-world';
import { webhookApp } from '../webhooks/webhook-app';

jest.setTimeout(60_000);
const pool = testPool();
afterAll(() => pool.end());

it('answers 503 temporal_unreachable with Retry-After when the birth date cannot reach the customer workflow', async () => {
  // No gRPC retries (the default interceptor retries UNAVAILABLE for about 20 s): the first refusal is the answer.
  const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [] });
  const nowhere = new Client({ connection });
  const { app } = webhookApp(
    pool,
    {
      API_KEYS_CHECKOUT: TEST_KEYS.checkout.slice('Bearer '.length),
      API_KEYS_SUPPORT: TEST_KEYS.support.slice('Bearer '.length),
    },
    nowhere,
  );
  const customerId = uniqueId('cus');

  const res = await request(app)
    .put(`/v1/customers/${customerId}/profile`)
    .set('Authorization', TEST_KEYS.support)
    .send({ birthDate: '07-14' })
    .expect(503);

  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  expect(res.body.error).toMatchObject({
    code: 'journey_unavailable',
    message: `the lifecycle workflow of customer ${customerId} cannot answer now: Temporal does not answer`,
    details: { reason: 'temporal_unreachable' },
  });
});
