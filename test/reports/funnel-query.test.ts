/**
 * Client mistakes on GET /v1/reports/funnel are 400s that say what is wrong (never a 5xx), and the report is support's:
 * no key is 401, checkout's key 403.
 */
import request from 'supertest';
import { testPool } from '../helpers/database';
import { CHECKOUT, reportApp, SUPPORT } from './report-app';

const pool = testPool();
const app = reportApp(pool);
afterAll(() => pool.end());

const funnel = (query: string) => request(app).get(`/v1/reports/funnel?${query}`).set('Authorization', SUPPORT);

describe('GET /v1/reports/funnel, given a mistake', () => {
  it.each([
    ['from after to', 'from=2026-03-10&to=2026-03-01', /from must not be after to \(2026-03-01\)/],
    ['an unparseable day', 'from=yesterday&to=2026-03-01', /from must be a day written YYYY-MM-DD/],
    ['a day that does not exist', 'from=2026-02-30&to=2026-03-01', /from must be a day written YYYY-MM-DD/],
    ['a missing day', 'to=2026-03-01', /from/],
    ['a range too long', 'from=2025-01-01&to=2026-03-01', /to makes a range of 425 days; a report covers at most 367/],
    ['an unknown grouping', 'from=2026-03-01&to=2026-03-02&groupBy=week,country', /unknown grouping "country"/],
    ['a grouping with spaces', 'from=2026-03-01&to=2026-03-02&groupBy=week, locale', /unknown grouping " locale"/],
    ['an empty grouping', 'from=2026-03-01&to=2026-03-02&groupBy=', /unknown grouping ""/],
    ['a day given twice', 'from=2026-03-01&from=2026-03-02&to=2026-03-05', /from/],
  ])('refuses %s with 400 and a message that names it', async (_, query, message) => {
    const res = await funnel(query).expect(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toMatch(message);
  });

  it("refuses without a key (401) and with checkout's key (403)", async () => {
    await request(app).get('/v1/reports/funnel?from=2026-03-01&to=2026-03-02').expect(401);
    await request(app)
      .get('/v1/reports/funnel?from=2026-03-01&to=2026-03-02')
      .set('Authorization', CHECKOUT)
      .expect(403);
  });

  it('takes a grouping named twice once (200)', async () => {
    const res = await funnel('from=2026-03-01&to=2026-03-02&groupBy=week,week').expect(200);
    expect(res.body.groupBy).toEqual(['week']);
  });

  it('the page refuses the same range mistakes with 400', async () => {
    const res = await request(app)
      .get('/reports?from=2026-03-10&to=2026-03-01')
      .set('Authorization', SUPPORT)
      .expect(400);
    expect(res.body.error.message).toMatch(/from must not be after to/);
  });
});
