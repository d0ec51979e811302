/**
 * deploy/grafana/funnel-dashboard.json asks only for series the service exports: every metric its queries name is
 * registered by the API or the worker, every label they match on is one of that metric's labels, and every funnel stage
 * the counter knows is drawn. (No Grafana or Prometheus here: this checks the names, not the rendering.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createApiMetrics } from '../../src/observability/api-metrics';
import { FUNNEL_STAGES } from '../../src/observability/funnel-metrics';
import { createWorkerMetrics } from '../../src/observability/worker-metrics';

const dashboard = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../deploy/grafana/funnel-dashboard.json'), 'utf8'),
) as { panels: { targets: { expr: string }[] }[] };
const queries = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));

/** Each exported metric's label names, as prom-client registered them. */
function exportedLabels(): Map<string, string[]> {
  const registries = [createApiMetrics().registry, createWorkerMetrics().registry];
  return new Map(
    registries.flatMap((r) =>
      r.getMetricsAsArray().map((m) => [m.name, (m as unknown as { labelNames: string[] }).labelNames] as const),
    ),
  );
}

describe('the funnel dashboard', () => {
  it('queries only exported metrics, by their own labels', () => {
    const exported = exportedLabels();
    const selectors = queries.flatMap((q) => [...q.matchAll(/(order_journeys_\w+)\{([^}]*)\}/g)]);
    expect(selectors.length).toBeGreaterThan(0);
    for (const [, name, matchers] of selectors) {
      expect(exported.has(name!)).toBe(true);
      const labels = [...matchers!.matchAll(/(\w+)\s*(=~|!=|!~|=)/g)].map((m) => m[1]);
      expect({ name, labels: labels.filter((l) => !exported.get(name!)!.includes(l!)) }).toEqual({ name, labels: [] });
    }
  });

  it('draws every stage of the counter, and sent', () => {
    const all = queries.join('\n');
    expect(all).toContain('order_journeys_messages_total{outcome="sent"');
    for (const stage of FUNNEL_STAGES) expect(all).toContain(`stage="${stage}"`);
  });
});
