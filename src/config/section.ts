/**
 * A config section: the environment variables of one concern (a provider, Temporal, the codec server…), the rules
 * across them, and the part of `Config` they make. src/config/env.ts lists the sections; src/config/index.ts assembles
 * their parts into `Config`.
 */
import type { z } from 'zod';

/** The variables every section may read besides its own (declared and validated by sections/service.ts and shop.ts). */
export interface CommonEnv {
  NODE_ENV: 'development' | 'test' | 'production';
  PORT: number;
  PUBLIC_BASE_URL?: string;
  SHOP_NAME: string;
}

/** The parsed environment, every section's variables in it; each section reads it through its own typed view. */
export type ParsedEnv = Readonly<Record<string, unknown>>;

/** Reports a problem with a variable: "<VARIABLE> <message>" stops the process at start-up. */
export type ReportProblem = (variable: string, message: string) => void;

export type SectionEnv<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>> & CommonEnv;

export interface ConfigSection<Part> {
  variables: z.ZodRawShape;
  check(env: ParsedEnv, report: ReportProblem): void;
  read(env: ParsedEnv): Part;
}

export function defineSection<Shape extends z.ZodRawShape, Part>(section: {
  /** The section's environment variables and their rules, by name. */
  variables: Shape;
  /** Rules across variables: required together, refused in production… Runs once every variable parsed. */
  check?(env: SectionEnv<Shape>, report: ReportProblem): void;
  /** The section's part of Config. */
  read(env: SectionEnv<Shape>): Part;
}): ConfigSection<Part> {
  return {
    variables: section.variables,
    check: (env, report) => section.check?.(env as SectionEnv<Shape>, report),
    read: (env) => section.read(env as SectionEnv<Shape>),
  };
}

/** Names the missing ones when only some of `names` are set. */
export function requireTogether(env: object, names: string[], why: string, report: ReportProblem): void {
  const given = names.filter((n) => isSet(env, n));
  if (given.length === 0 || given.length === names.length) return;
  for (const n of names.filter((n) => !isSet(env, n))) {
    report(n, `is required when ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} set (${why})`);
  }
}

/** Options without the credential would silently leave the provider off: name each. */
export function requireCredential(env: object, names: string[], credential: string, report: ReportProblem): void {
  for (const n of names.filter((n) => isSet(env, n) && !isSet(env, credential))) {
    report(n, `has no effect without ${credential}`);
  }
}

export function isSet(env: object, name: string): boolean {
  return (env as Record<string, unknown>)[name] !== undefined;
}
