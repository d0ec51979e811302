/**
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: Temporal and PostgreSQL answer, with the
 * providers' circuit breakers as details).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { CircuitState } from '../../domain/provider-circuit';
import type { ApiContract } from '../openapi';
import { livenessSchema, readinessSchema } from '../responses';

export type DependencyCheck = () => Promise<void>;

/** The providers' circuit breakers, shown in /readyz's details (src/db/provider-circuits.ts). */
export interface CircuitReport {
  states(): Promise<Record<string, CircuitState>>;
}

export function healthRouter(checks: Record<string, DependencyCheck>, circuits?: CircuitReport): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 3_000);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, `unavailable: ${err instanceof Error ? err.message : String(err)}`] as const;
        }
      }),
    );
    const ready = results.every(([, status]) => status === 'ok');
    // Details, not a check: with a circuit open, messages go to the other provider and the service still works.
    const states = circuits ? await withTimeout(circuits.states(), 3_000).catch(() => undefined) : undefined;
    if (!ready) res.setHeader('Retry-After', '5'); // like every other 503: when to ask again
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      checks: Object.fromEntries(results),
      ...(states ? { circuits: states } : {}),
    });
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The operations routes; GET /metrics is mounted by src/api/app.ts (its handler lives with the metrics). */
export function declareHealthRoutes(api: ApiContract): void {
  const common = { method: 'get' as const, tags: ['operations'] };
  api.route({
    ...common,
    path: '/healthz',
    summary: 'Liveness: the process answers',
    responses: { 200: api.json('Alive', livenessSchema) },
  });
  api.route({
    ...common,
    path: '/readyz',
    summary: 'Readiness: Temporal and PostgreSQL answer',
    responses: {
      200: api.json('Ready', readinessSchema),
      503: api.json('A dependency does not answer', readinessSchema),
    },
  });
  api.route({
    ...common,
    path: '/metrics',
    summary: 'Prometheus metrics of the API',
    responses: {
      200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } },
    },
  });
}
