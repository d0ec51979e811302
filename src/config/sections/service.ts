/** The service itself: environment, HTTP port and public address, database, journey policy. */
import { z } from 'zod';
import { journeyPolicyOverridesSchema, type JourneyPolicyOverrides } from '../../domain/policy';
import { port } from '../values';
import { defineSection } from '../section';

export interface ServiceConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  /** Where the API is reachable from outside (links in emails): PUBLIC_BASE_URL, else http://localhost:PORT. */
  publicBaseUrl: string;
  databaseUrl: string;
  /** Which journey policy new journeys start with: production durations, or the demo's seconds-for-days. */
  journeyPolicy: 'production' | 'demo';
  /** Fields laid over the named policy (JOURNEY_POLICY_OVERRIDES); empty when unset. */
  journeyPolicyOverrides: JourneyPolicyOverrides;
}

export const serviceSection = defineSection({
  variables: {
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: port.default(3000),
    PUBLIC_BASE_URL: z.url().optional(),
    JOURNEY_POLICY: z.enum(['production', 'demo']).default('production'),
    /** A JSON object of policy fields laid over the named policy, e.g. '{"reviewRequestDelayDays":12}'. */
    JOURNEY_POLICY_OVERRIDES: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON object, e.g. {"reviewRequestDelayDays":12}' });
          return z.NEVER;
        }
      })
      .pipe(journeyPolicyOverridesSchema)
      .optional(),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
  },
  read: (e): ServiceConfig => ({
    env: e.NODE_ENV,
    port: e.PORT,
    publicBaseUrl: publicBaseUrl(e),
    databaseUrl: e.DATABASE_URL,
    journeyPolicy: e.JOURNEY_POLICY,
    journeyPolicyOverrides: e.JOURNEY_POLICY_OVERRIDES ?? {},
  }),
});

export function publicBaseUrl(e: { PUBLIC_BASE_URL?: string; PORT: number }): string {
  return e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`;
}
