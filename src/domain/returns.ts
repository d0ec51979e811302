/**
 * Whether a return request can be accepted: inside the window, for items of the order, for no more than was bought
 * and not already returned. Pure, so the workflow's update validator can run it and give support a real answer.
 */
export interface ReturnLine {
  sku: string;
  quantity: number;
}

export interface ReturnContext {
  /** ISO instant of delivery (or the fallback date when no scan came), or null while the order is not delivered. */
  deliveredAt: string | null;
  returnWindowMs: number;
  now: number;
  bought: Record<string, number>;
  alreadyReturned: Record<string, number>;
  cancelled: boolean;
}

export type ReturnVerdict = { ok: true } | { ok: false; reason: string };

export function judgeReturn(lines: ReturnLine[], ctx: ReturnContext): ReturnVerdict {
  if (ctx.cancelled) return { ok: false, reason: 'the order was cancelled; there is nothing to return' };
  if (!ctx.deliveredAt) return { ok: false, reason: 'the order has not been delivered yet' };
  const windowEnds = Date.parse(ctx.deliveredAt) + ctx.returnWindowMs;
  if (ctx.now > windowEnds) {
    return { ok: false, reason: `the return window closed on ${new Date(windowEnds).toISOString()}` };
  }
  if (lines.length === 0) return { ok: false, reason: 'no items to return' };
  const asked: Record<string, number> = {};
  for (const line of lines) asked[line.sku] = (asked[line.sku] ?? 0) + line.quantity;
  for (const [sku, quantity] of Object.entries(asked)) {
    const bought = ctx.bought[sku];
    if (bought === undefined) return { ok: false, reason: `item ${sku} is not part of this order` };
    const returnable = bought - (ctx.alreadyReturned[sku] ?? 0);
    if (quantity > returnable) {
      return {
        ok: false,
        reason: `only ${returnable} of item ${sku} can be returned (bought ${bought}, already returned ${bought - returnable})`,
      };
    }
  }
  return { ok: true };
}
