import { judgeReturn, type ReturnContext } from '../../src/domain/returns';

const DAY = 86_400_000;
const deliveredAt = '2026-11-01T12:00:00Z';
const context = (overrides: Partial<ReturnContext> = {}): ReturnContext => ({
  deliveredAt,
  returnWindowMs: 30 * DAY,
  now: Date.parse(deliveredAt) + 10 * DAY,
  bought: { SERUM: 2, TOWEL: 1 },
  alreadyReturned: {},
  cancelled: false,
  ...overrides,
});

describe('a return request', () => {
  it('is accepted inside the window for items and quantities bought', () => {
    expect(
      judgeReturn(
        [
          { sku: 'SERUM', quantity: 2 },
          { sku: 'TOWEL', quantity: 1 },
        ],
        context(),
      ),
    ).toEqual({ ok: true });
  });

  it('is accepted on the last moment of the window and refused a moment later', () => {
    const end = Date.parse(deliveredAt) + 30 * DAY;
    expect(judgeReturn([{ sku: 'TOWEL', quantity: 1 }], context({ now: end }))).toEqual({ ok: true });
    expect(judgeReturn([{ sku: 'TOWEL', quantity: 1 }], context({ now: end + 1 }))).toEqual({
      ok: false,
      reason: 'the return window closed on 2026-12-01T12:00:00.000Z',
    });
  });

  it('counts repeated lines of one item together', () => {
    expect(
      judgeReturn(
        [
          { sku: 'SERUM', quantity: 1 },
          { sku: 'SERUM', quantity: 2 },
        ],
        context(),
      ),
    ).toEqual({
      ok: false,
      reason: 'only 2 of item SERUM can be returned (bought 2, already returned 0)',
    });
  });

  it('takes earlier returns into account', () => {
    expect(judgeReturn([{ sku: 'SERUM', quantity: 2 }], context({ alreadyReturned: { SERUM: 1 } }))).toMatchObject({
      ok: false,
    });
    expect(judgeReturn([{ sku: 'SERUM', quantity: 1 }], context({ alreadyReturned: { SERUM: 1 } }))).toEqual({
      ok: true,
    });
  });

  it('is refused before delivery, after cancellation, without items, or for items not bought', () => {
    expect(judgeReturn([{ sku: 'SERUM', quantity: 1 }], context({ deliveredAt: null }))).toEqual({
      ok: false,
      reason: 'the order has not been delivered yet',
    });
    expect(judgeReturn([{ sku: 'SERUM', quantity: 1 }], context({ cancelled: true }))).toMatchObject({ ok: false });
    expect(judgeReturn([], context())).toEqual({ ok: false, reason: 'no items to return' });
    expect(judgeReturn([{ sku: 'LAMP', quantity: 1 }], context())).toEqual({
      ok: false,
      reason: 'item LAMP is not part of this order',
    });
  });
});
