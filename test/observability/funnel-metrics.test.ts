/**
 * The funnel's Prometheus counter keeps its labels to closed sets (no id or address can become a series), and the
 * answered requests that report a journey outcome are recognised, a replayed answer not counted again.
 */
import { Registry } from 'prom-client';
import { createFunnelEvents, orderOutcomeOf } from '../../src/observability/funnel-metrics';

async function series(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((l) => l.startsWith('order_journeys_funnel_events_total{'));
}

describe('order_journeys_funnel_events_total', () => {
  it('labels stage, channel and message type; anything else becomes "none"', async () => {
    const registry = new Registry();
    const funnel = createFunnelEvents(registry);
    funnel.reached('opened', { channel: 'email', messageType: 'review_request' });
    funnel.reached('opened', { channel: 'email', messageType: 'review_request' });
    funnel.reached('delivered', { channel: 'anna@example.com', messageType: 'order-1001' });
    funnel.reached('returned');
    expect(await series(registry)).toEqual([
      'order_journeys_funnel_events_total{stage="opened",channel="email",message_type="review_request"} 2',
      'order_journeys_funnel_events_total{stage="delivered",channel="none",message_type="none"} 1',
      'order_journeys_funnel_events_total{stage="returned",channel="none",message_type="none"} 1',
    ]);
  });
});

describe('orderOutcomeOf', () => {
  it.each([
    ['POST', '/v1/orders/:orderId/reviews', 202, false, 'reviewed'],
    ['POST', '/v1/orders/:orderId/returns', 201, false, 'returned'],
    ['POST', '/v1/orders/:orderId/cancel', 200, false, 'cancelled'],
    ['POST', '/v1/orders/:orderId/returns', 201, true, undefined], // a retry answered from the first answer
    ['POST', '/v1/orders/:orderId/cancel', 409, false, undefined],
    ['POST', '/v1/orders/:orderId/reviews', 400, false, undefined],
    ['GET', '/v1/orders/:orderId/journey', 200, false, undefined],
  ] as const)('%s %s answered %i (replayed: %s) → %s', (method, route, status, replayed, stage) => {
    expect(orderOutcomeOf(method, route, status, replayed)).toBe(stage);
  });
});
