/**
 * Support and checkout reach the customer's lifecycle over HTTP (dev server, the journey's workers, the API as
 * production builds it): a birth date recorded by support or given at checkout, bad dates refused with what is wrong,
 * and the customer's whole picture — orders, tier, upcoming messages, every message sent.
 */
import request from 'supertest';
import { productionPolicy } from '../../src/domain/policy';
import { anAwakeTimeZone, anOrder, uniqueId } from '../helpers/fixtures';
import { eventually, startApiWorld, TEST_KEYS, type ApiWorld } from '../helpers/api-world';

jest.setTimeout(90_000);

const { checkout: CHECKOUT, support: SUPPORT } = TEST_KEYS;
let world: ApiWorld;
beforeAll(async () => {
  world = await startApiWorld('customers-api-test', productionPolicy);
});
afterAll(() => world?.stop());

const profileOf = (customerId: string) => `/v1/customers/${customerId}/profile`;
const journeyOf = (customerId: string) => `/v1/customers/${customerId}/journey`;

describe('PUT /v1/customers/:customerId/profile', () => {
  it.each([
    ['02-30', 'birthDate has no day 30 in month 02'],
    ['13-01', 'birthDate has no month 13: months are 01 to 12'],
    ['1991-02-29', 'birthDate 1991 has no 29 February'],
    ['July 14', 'birthDate must be a date written MM-DD (e.g. "07-14") or YYYY-MM-DD (e.g. "1990-07-14")'],
  ])('refuses the birth date %s with 400 saying what is wrong', async (birthDate, says) => {
    const res = await request(world.app)
      .put(profileOf(uniqueId('cus')))
      .set('Authorization', SUPPORT)
      .send({ birthDate })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', message: `invalid profile: ${says}` });
  });

  it('refuses an unknown field, and answers 403 to checkout', async () => {
    const customerId = uniqueId('cus');
    const unknown = await request(world.app)
      .put(profileOf(customerId))
      .set('Authorization', SUPPORT)
      .send({ birthDate: '07-14', nickname: 'Annie' })
      .expect(400);
    expect(unknown.body.error.details).toEqual([{ path: '(body)', message: expect.stringContaining('nickname') }]);
    await request(world.app)
      .put(profileOf(customerId))
      .set('Authorization', CHECKOUT)
      .send({ birthDate: '07-14' })
      .expect(403);
  });

  it('records a birth date for a customer without orders yet; their journey shows it, waiting for a first order', async () => {
    const customerId = uniqueId('cus');
    const put = await request(world.app)
      .put(profileOf(customerId))
      .set('Authorization', SUPPORT)
      .send({ birthDate: '07-14' })
      .expect(200);
    expect(put.body).toEqual({ customerId, birthDate: '07-14' });
    const journey = await eventually(async () => {
      const res = await request(world.app).get(journeyOf(customerId)).set('Authorization', SUPPORT);
      return res.status === 200 && res.body.birthDate === '07-14' ? res.body : undefined;
    }, 'the profile in the customer journey');
    expect(journey).toMatchObject({ customerId, orderCount: 0, orders: [], upcoming: [], tier: null });
  });
});

describe('GET /v1/customers/:customerId/journey', () => {
  it('404 for a customer with no order and no profile', async () => {
    const res = await request(world.app)
      .get(journeyOf(uniqueId('cus')))
      .set('Authorization', SUPPORT)
      .expect(404);
    expect(res.body.error.code).toBe('customer_not_found');
  });

  it('checkout refuses a bad birth date with the order (400), and takes a good one to the customer', async () => {
    const customerId = uniqueId('cus');
    const bad = await request(world.app)
      .post('/v1/orders')
      .set('Authorization', CHECKOUT)
      .send(anOrder({ customerId, birthDate: '02-30' }))
      .expect(400);
    expect(bad.body.error.message).toBe('invalid order: birthDate has no day 30 in month 02');

    const order = anOrder({ customerId, birthDate: '1990-07-14', channels: ['email'] });
    await request(world.app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(201);
    const journey = await eventually(async () => {
      const res = await request(world.app).get(journeyOf(customerId)).set('Authorization', SUPPORT);
      const body = res.body as { orderCount?: number; messages?: { messageType: string }[] };
      return res.status === 200 && body.orderCount === 1 && body.messages?.length ? res.body : undefined;
    }, "the order in the customer's journey");
    expect(journey).toMatchObject({
      customerId,
      birthDate: '1990-07-14',
      orders: [{ orderId: order.orderId, total: order.total, currency: 'EUR', categories: ['cosmetics'] }],
      tier: null,
    });
    expect(journey.upcoming.map((u: { messageType: string }) => u.messageType).sort()).toEqual(
      ['anniversary', 'birthday', 'win_back'].sort(),
    );
    expect(journey.messages).toContainEqual(
      expect.objectContaining({ journeyId: `order-${order.orderId}`, messageType: 'confirmation', status: 'sent' }),
    );
    expect(JSON.stringify(journey)).not.toContain(order.email); // contact details stay in the workflow
  });

  it('shows the tier the third order reached, and its congratulation among the messages', async () => {
    const customerId = uniqueId('cus');
    // The congratulation is marketing: in the customer's quiet hours it would wait for the morning.
    const timeZone = anAwakeTimeZone();
    for (let i = 0; i < 3; i++) {
      const order = anOrder({ customerId, channels: ['email'], placedAt: new Date().toISOString(), timeZone });
      await request(world.app).post('/v1/orders').set('Authorization', CHECKOUT).send(order).expect(201);
    }
    const journey = await eventually(async () => {
      const res = await request(world.app).get(journeyOf(customerId)).set('Authorization', SUPPORT);
      const sent = (res.body.messages ?? []) as { messageType: string; status: string }[];
      const congratulated = sent.some((m) => m.messageType === 'loyalty_tier' && m.status === 'sent');
      return res.status === 200 && res.body.tier && congratulated ? res.body : undefined;
    }, 'the tier and its congratulation');
    expect(journey.orderCount).toBe(3);
    expect(journey.tier).toMatchObject({ name: 'silver' });
    expect(journey.timeline.map((t: { event: string }) => t.event)).toContainEqual(
      expect.stringMatching(/^tier silver reached with order /),
    );
  });
});
