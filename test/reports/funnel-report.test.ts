/**
 * GET /v1/reports/funnel on seeded ledger, engagement, cohort and journey-view rows (real PostgreSQL, real HTTP through
 * the app): exact counts per cohort, the replenishment reminder a reorder is credited to, the fallbacks for an order
 * noted before cohorts existed, and the range's edges.
 */
import request from 'supertest';
import { testPool } from '../helpers/database';
import { FunnelSeed } from './funnel-seed';
import { reportApp, SUPPORT } from './report-app';

const pool = testPool();
const app = reportApp(pool);
const seed = new FunnelSeed(pool);
afterAll(() => pool.end());

// Two order weeks of March 2019 (Mondays 4 and 11), far from any other test's rows.
const FROM = '2019-03-04';
const TO = '2019-03-17';
const zero = { sent: 0, delivered: 0, opened: 0, clicked: 0, reviewed: 0, reordered: 0, returned: 0, cancelled: 0 };

beforeAll(async () => {
  const tea = seed.id('sku-tea');
  const anna = seed.id('cus-anna');
  const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((o) => seed.id(`ord-${o}`)) as [
    string,
    string,
    string,
    string,
    string,
  ];
  // Order A (Latvian, week of 4 March): delivered, reviewed 4/5 on the 8th, part returned on the 9th.
  await seed.cohort(a, anna, 'lv', '2019-03-05T09:00:00Z', [tea]);
  await seed.view(a, anna, {
    startedAt: '2019-03-05T09:00:01Z',
    skus: [tea],
    reviews: [{ sku: tea, rating: 4, at: '2019-03-08T12:00:00Z' }],
    returnsAcceptedAt: ['2019-03-09T12:00:00Z'],
  });
  const confirmation = await seed.message({
    orderId: a,
    step: 'confirmation',
    channel: 'email',
    messageType: 'confirmation',
    status: 'delivered',
    sentAt: '2019-03-05T10:00:00Z',
  });
  await seed.engagement(confirmation, 'open', '2019-03-05T11:00:00Z');
  await seed.engagement(confirmation, 'open', '2019-03-05T12:00:00Z'); // opened twice: still one message opened
  await seed.engagement(confirmation, 'click', '2019-03-05T12:01:00Z');
  await seed.message({
    orderId: a,
    step: 'confirmation',
    channel: 'sms',
    messageType: 'confirmation',
    status: 'delivered',
    sentAt: '2019-03-05T10:00:00Z',
  });
  const reviewRequest = await seed.message({
    orderId: a,
    step: 'review-request',
    channel: 'email',
    messageType: 'review_request',
    status: 'delivered',
    sentAt: '2019-03-07T10:00:00Z',
  });
  await seed.engagement(reviewRequest, 'open', '2019-03-07T18:00:00Z');
  // Accepted, then bounced: sent, never delivered.
  await seed.message({
    orderId: a,
    step: 'unboxing',
    channel: 'email',
    messageType: 'unboxing_tips',
    status: 'failed',
    sentAt: '2019-03-06T10:00:00Z',
  });
  // Skipped (no consent): never sent, not in the funnel.
  await seed.message({ orderId: a, step: 'unboxing', channel: 'sms', messageType: 'unboxing_tips', status: 'skipped' });
  // Two reminders of the tea chain; the reorder (order C on the 12th) follows the second, which gets the credit.
  const chain = `replenish-${anna}-${tea}`;
  for (const [n, sentAt, status] of [
    [1, '2019-03-10T10:00:00Z', 'sent'],
    [2, '2019-03-11T10:00:00Z', 'delivered'],
  ] as const) {
    await seed.message({
      orderId: a,
      journeyId: chain,
      step: `chain-x:reminder-${n}`,
      channel: 'email',
      messageType: 'replenishment_reminder',
      status,
      sentAt,
    });
  }

  // Order B (English, week of 4 March): cancelled two hours after its confirmation, and reviewed 2/5 the next day.
  await seed.cohort(b, seed.id('cus-ben'), 'en', '2019-03-06T09:00:00Z', [seed.id('sku-mug')]);
  await seed.view(b, seed.id('cus-ben'), {
    startedAt: '2019-03-06T09:00:01Z',
    skus: [seed.id('sku-mug')],
    cancelledAt: '2019-03-06T12:00:00Z',
    reviews: [{ sku: seed.id('sku-mug'), rating: 2, at: '2019-03-07T12:00:00Z' }],
  });
  await seed.message({
    orderId: b,
    step: 'confirmation',
    channel: 'email',
    messageType: 'confirmation',
    status: 'sent',
    sentAt: '2019-03-06T10:00:00Z',
  });

  // Order C (Latvian, week of 11 March): Anna's reorder of the tea; no journey view yet.
  await seed.cohort(c, anna, 'lv', '2019-03-12T09:00:00Z', [tea]);
  await seed.message({
    orderId: c,
    step: 'confirmation',
    channel: 'email',
    messageType: 'confirmation',
    status: 'delivered',
    sentAt: '2019-03-12T10:00:00Z',
  });

  // Order D: from before cohorts were noted — its week comes from the journey view, its locale is unknown.
  await seed.view(d, seed.id('cus-dana'), { startedAt: '2019-03-13T09:00:00Z', skus: [seed.id('sku-pen')] });
  await seed.message({
    orderId: d,
    step: 'confirmation',
    channel: 'email',
    messageType: 'confirmation',
    status: 'sent',
    sentAt: '2019-03-13T10:00:00Z',
  });

  // Order E: placed before the range (its message is within it: the order's week decides).
  await seed.cohort(e, seed.id('cus-eve'), 'lv', '2019-03-03T23:59:59Z', [tea]);
  await seed.message({
    orderId: e,
    step: 'confirmation',
    channel: 'email',
    messageType: 'confirmation',
    status: 'delivered',
    sentAt: '2019-03-04T00:10:00Z',
  });
});

const funnel = (query: string) => request(app).get(`/v1/reports/funnel?${query}`).set('Authorization', SUPPORT);

describe('GET /v1/reports/funnel', () => {
  it('counts each stage per cohort of week, locale, channel and message type', async () => {
    const res = await funnel(`from=${FROM}&to=${TO}`).expect(200);
    expect(res.body.groupBy).toEqual(['week', 'locale', 'channel', 'messageType']);
    const row = (week: string, locale: string, channel: string, messageType: string) => ({
      cohort: { week, locale, channel, messageType },
    });
    expect(res.body.rows).toEqual([
      {
        ...row('2019-03-04', 'en', 'email', 'confirmation'),
        ...zero,
        sent: 1,
        reviewed: 1,
        cancelled: 1,
        averageRating: 2,
      },
      {
        ...row('2019-03-04', 'lv', 'email', 'confirmation'),
        ...zero,
        sent: 1,
        delivered: 1,
        opened: 1,
        clicked: 1,
        reviewed: 1,
        returned: 1,
        averageRating: 4,
      },
      {
        ...row('2019-03-04', 'lv', 'email', 'replenishment_reminder'),
        ...zero,
        sent: 2,
        delivered: 1,
        reordered: 1,
        averageRating: null,
      },
      {
        ...row('2019-03-04', 'lv', 'email', 'review_request'),
        ...zero,
        sent: 1,
        delivered: 1,
        opened: 1,
        reviewed: 1,
        returned: 1,
        averageRating: 4,
      },
      {
        ...row('2019-03-04', 'lv', 'email', 'unboxing_tips'),
        ...zero,
        sent: 1,
        reviewed: 1,
        returned: 1,
        averageRating: 4,
      },
      {
        ...row('2019-03-04', 'lv', 'sms', 'confirmation'),
        ...zero,
        sent: 1,
        delivered: 1,
        reviewed: 1,
        returned: 1,
        averageRating: 4,
      },
      { ...row('2019-03-11', 'lv', 'email', 'confirmation'), ...zero, sent: 1, delivered: 1, averageRating: null },
      { ...row('2019-03-11', 'unknown', 'email', 'confirmation'), ...zero, sent: 1, averageRating: null },
    ]);
    expect(res.body.totals).toEqual({
      sent: 9,
      delivered: 5,
      opened: 2,
      clicked: 1,
      reviewed: 5,
      reordered: 1,
      returned: 4,
      cancelled: 1,
      averageRating: 3.6,
    });
  });

  it('groups by what is asked only', async () => {
    const res = await funnel(`from=${FROM}&to=${TO}&groupBy=channel`).expect(200);
    expect(res.body.rows).toEqual([
      {
        cohort: { channel: 'email' },
        sent: 8,
        delivered: 4,
        opened: 2,
        clicked: 1,
        reviewed: 4,
        reordered: 1,
        returned: 3,
        cancelled: 1,
        averageRating: 3.5,
      },
      {
        cohort: { channel: 'sms' },
        ...zero,
        sent: 1,
        delivered: 1,
        reviewed: 1,
        returned: 1,
        averageRating: 4,
      },
    ]);
  });

  it("takes both days whole: the order placed a second before the range is out, the range's last day is in", async () => {
    const withE = await funnel(`from=2019-03-03&to=2019-03-03&groupBy=week`).expect(200);
    expect(withE.body.rows).toEqual([
      { cohort: { week: '2019-02-25' }, ...zero, sent: 1, delivered: 1, averageRating: null },
    ]);
    const lastDay = await funnel(`from=2019-03-13&to=2019-03-13&groupBy=locale`).expect(200);
    expect(lastDay.body.rows).toEqual([{ cohort: { locale: 'unknown' }, ...zero, sent: 1, averageRating: null }]);
  });

  it('answers an empty range with no rows and zero totals', async () => {
    const res = await funnel('from=2018-01-01&to=2018-01-31&groupBy=week').expect(200);
    expect(res.body).toEqual({
      from: '2018-01-01',
      to: '2018-01-31',
      groupBy: ['week'],
      rows: [],
      totals: { ...zero, averageRating: null },
    });
  });
});
