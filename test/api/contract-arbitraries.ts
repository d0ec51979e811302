/**
 * fast-check arbitraries read from the OpenAPI document alone, as a client generated from it would know the rules:
 * `valid(schema)` — values the contract accepts (JSON Schema words, the formats it names, its `x-rules` and
 * `x-trimmed`); `invalid(schema)` — values that break exactly one stated rule somewhere inside. A schema word or format
 * this file does not know fails loudly, so a new kind of rule in the contract has to be taught here, not skipped.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON Schema documents and the values they describe are walked
   by key at run time: their shape is what the document says, not a TypeScript type. */
import fc from 'fast-check';
import { parseBirthDate } from '../../src/domain/lifecycle';
import { getCountries, getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';

export type Schema = Record<string, any>;
type Rule = Record<string, any> & { rule: string };
/** A change to a whole value (an object), as a rule breaker or fixer makes it. */
type Edit = (value: any) => any;

/** Words that say nothing a generator has to honour (documentation, defaults). */
const NEUTRAL = new Set(['description', 'examples', 'example', 'default', 'title', 'deprecated', 'x-signed']);
const KNOWN = new Set([
  ...NEUTRAL,
  ...['type', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', 'enum', 'const'],
  ...['minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'],
  ...['$ref', 'anyOf', 'oneOf', 'x-rules', 'x-trimmed'],
]);

/** Valid phone numbers per libphonenumber's own examples (what the `phone-number` rule names). */
const PHONE_NUMBERS = getCountries()
  .map((country) => getExampleNumber(country, examples)?.number)
  .filter((n): n is NonNullable<typeof n> => !!n)
  .map(String);
/** E.164-shaped, but in no country's numbering plan (one digit short, or an unassigned country code). */
const PHONE_NUMBERS_NOT_IN_PLAN = ['+3712600000', '+999123456789', '+1415555010'];

const TIME_ZONES = Intl.supportedValuesOf('timeZone');
const LANGUAGE_TAGS = ['en', 'lv', 'lv-LV', 'bg', 'hu', 'ar', 'en-GB', 'de-AT', 'zh-Hant-TW', 'sr-Latn-RS', 'fr'];

/** Strings a contract-breaking value is made of: printable ASCII and some of everything else. */
const anyText = (max = 40) => fc.string({ unit: 'grapheme', maxLength: max });

export class ContractArbitraries {
  constructor(private readonly document: Schema) {}

  resolve(schema: Schema): Schema {
    if (!schema.$ref) return schema;
    const name = String(schema.$ref).replace('#/components/schemas/', '');
    const target = this.document.components?.schemas?.[name];
    if (!target) throw new Error(`unknown $ref ${schema.$ref}`);
    return this.resolve(target);
  }

  // ---- Values the contract calls valid

  valid(input: Schema): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    for (const word of Object.keys(schema))
      if (!KNOWN.has(word)) throw new Error(`the generator does not know "${word}"`);
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.anyOf || schema.oneOf)
      return fc.oneof(...(schema.anyOf ?? schema.oneOf).map((s: Schema) => this.valid(s)));
    switch (schema.type) {
      case 'string':
        return this.validString(schema);
      case 'integer':
      case 'number':
        return this.validNumber(schema);
      case 'boolean':
        return fc.boolean();
      case 'array':
        return this.validArray(schema);
      case 'object':
        return this.validObject(schema);
      case undefined:
        return fc.jsonValue({ maxDepth: 3 }); // no type: anything (a provider's payload)
      default:
        throw new Error(`the generator does not know type ${JSON.stringify(schema.type)}`);
    }
  }

  private validString(schema: Schema): fc.Arbitrary<string> {
    const min = schema.minLength ?? 0;
    const max = schema.maxLength ?? Infinity;
    // x-trimmed: the limits and the pattern apply to what is left once surrounding whitespace is removed.
    const measured = (s: string) => (schema['x-trimmed'] ? s.trim() : s);
    const fits = (s: string) => measured(s).length >= min && measured(s).length <= max;
    let base: fc.Arbitrary<string>;
    if (schema.pattern) base = fc.stringMatching(new RegExp(schema.pattern));
    else if (schema.format) base = this.validFormat(schema.format);
    else base = fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, min + 60) });
    if (schema.pattern && schema.format) base = base.filter((s) => this.formatHolds(schema.format, s));
    return base.filter(fits);
  }

  private validFormat(format: string): fc.Arbitrary<string> {
    switch (format) {
      case 'date':
        return fc
          .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      case 'date-time':
        return fc
          .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
          .map((d) => d.toISOString());
      case 'uri':
        return fc.webUrl({ withQueryParameters: true, withFragments: true });
      case 'iana-time-zone':
        return fc.constantFrom(...TIME_ZONES);
      case 'bcp47-language-tag':
        return fc.constantFrom(...LANGUAGE_TAGS);
      default:
        throw new Error(`the generator does not know format "${format}"`);
    }
  }

  /** For a format stated beside a pattern: the pattern generates, the format must hold too. */
  private formatHolds(format: string, value: string): boolean {
    if (format === 'email') return /^[^@\s]+@[^@\s]+$/.test(value);
    if (format === 'date-time') return !Number.isNaN(Date.parse(value));
    if (format === 'birth-date') return typeof parseBirthDate(value) !== 'string'; // a day the month has
    throw new Error(`the generator does not know format "${format}" beside a pattern`);
  }

  private validNumber(schema: Schema): fc.Arbitrary<number> {
    const min = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? -1_000_000);
    const max = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : (schema.maximum ?? 1_000_000);
    if (schema.type === 'integer') return fc.integer({ min, max });
    return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  }

  private validArray(schema: Schema): fc.Arbitrary<unknown[]> {
    const minLength = schema.minItems ?? 0;
    const maxLength = Math.min(schema.maxItems ?? 10, minLength + 5);
    return fc.array(this.valid(schema.items ?? {}), { minLength, maxLength });
  }

  private validObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
    const properties: Record<string, Schema> = schema.properties ?? {};
    const record = fc.record(Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, this.valid(s)])), {
      requiredKeys: schema.required ?? [],
    });
    const rules: Rule[] = schema['x-rules'] ?? [];
    if (!rules.length) return record;
    // Rules that need a value of their own come first: "required when" may add a field another rule then shapes.
    const ordered = [...rules].sort(
      (a, b) => Number(b.rule === 'required-when-contains') - Number(a.rule === 'required-when-contains'),
    );
    return fc
      .tuple(record, ...ordered.map((rule) => this.ruleFixer(schema, rule)))
      .map(([value, ...fixes]) => fixes.reduce((v: any, fix) => fix(v), structuredClone(value)));
  }

  /** An edit that makes a value keep `rule` (values the generator drew without knowing the rule). */
  ruleFixer(schema: Schema, rule: Rule): fc.Arbitrary<Edit> {
    switch (rule.rule) {
      case 'phone-number':
        return fc
          .constantFrom(...PHONE_NUMBERS)
          .map((phone) => (v) => (get(v, rule.path) === undefined ? v : set(v, rule.path, phone)));
      case 'required-when-contains':
        return this.valid(this.schemaAt(schema, rule.path)).map((placeholder) => (v) => {
          const list = get(v, rule.when.path) ?? this.defaultAt(schema, rule.when.path);
          return Array.isArray(list) && list.includes(rule.when.contains) && get(v, rule.path) === undefined
            ? set(v, rule.path, placeholder)
            : v;
        });
      case 'unique-by':
        return fc.constant((v) => {
          const list = get(v, rule.path);
          if (!Array.isArray(list)) return v;
          const seen = new Set<unknown>();
          return set(
            v,
            rule.path,
            list.filter((item) => !seen.has(item[rule.key]) && seen.add(item[rule.key])),
          );
        });
      case 'not-after':
        return fc.constant((v) => {
          const [a, b] = [get(v, rule.path), get(v, rule.other)];
          return a !== undefined && b !== undefined && a > b ? set(set(v, rule.path, b), rule.other, a) : v;
        });
      case 'within-days-after':
        return fc.constant((v) => {
          const [a, b] = [get(v, rule.path), get(v, rule.other)];
          return a !== undefined && b !== undefined && daysBetween(a, b) > rule.days ? set(v, rule.other, a) : v;
        });
      case 'at-least-one-of':
        return fc
          .boolean()
          .map(
            (yes) => (v) => (rule.paths.some((p: string) => get(v, p) !== undefined) ? v : set(v, rule.paths[0], yes)),
          );
      case 'allowed-when-equals':
        return fc.constant((v) => {
          const other = get(v, rule.when.path) ?? this.defaultAt(schema, rule.when.path);
          return get(v, rule.path) === rule.value && other !== rule.when.equals ? unset(v, rule.path) : v;
        });
      default:
        throw new Error(`the generator does not know x-rule "${rule.rule}"`);
    }
  }

  /** An edit that breaks `rule` and nothing else. */
  ruleBreaker(schema: Schema, rule: Rule): fc.Arbitrary<Edit> {
    switch (rule.rule) {
      case 'phone-number':
        return fc.constantFrom(...PHONE_NUMBERS_NOT_IN_PLAN).map((phone) => (v) => set(v, rule.path, phone));
      case 'required-when-contains':
        return fc.constant((v) => unset(set(v, rule.when.path, [rule.when.contains]), rule.path));
      case 'unique-by':
        return fc.constant((v) => {
          const list = [...(get(v, rule.path) ?? [])];
          if (!list.length) return v;
          return set(v, rule.path, [...list, structuredClone(list[0])]);
        });
      case 'not-after': {
        const at = this.schemaAt(schema, rule.path);
        return fc
          .tuple(this.valid(at), this.valid(at))
          .filter(([a, b]) => a !== b)
          .map(([a, b]) => (v) => {
            const [late, early] = (a as string) > (b as string) ? [a, b] : [b, a];
            return set(set(v, rule.path, late), rule.other, early);
          });
      }
      case 'within-days-after':
        return fc
          .tuple(
            fc.date({
              min: new Date('1990-01-01T00:00:00Z'),
              max: new Date('2090-01-01T00:00:00Z'),
              noInvalidDate: true,
            }),
            fc.integer({ min: 1, max: 1_000 }),
          )
          .map(([start, beyond]) => (v) => {
            const first = start.toISOString().slice(0, 10);
            const last = new Date(start.getTime() + (rule.days + beyond) * DAY_MS).toISOString().slice(0, 10);
            return set(set(v, rule.path, first), rule.other, last);
          });
      case 'at-least-one-of':
        return fc.constant((v) => rule.paths.reduce((acc: any, p: string) => unset(acc, p), v));
      case 'allowed-when-equals': {
        const choices = this.schemaAt(schema, rule.when.path).enum.filter((x: unknown) => x !== rule.when.equals);
        return fc
          .constantFrom(...choices)
          .map((other) => (v) => set(set(v, rule.path, rule.value), rule.when.path, other));
      }
      default:
        throw new Error(`the generator does not know x-rule "${rule.rule}"`);
    }
  }

  /** The schema of a dotted path inside an object schema. */
  schemaAt(schema: Schema, path: string): Schema {
    return path.split('.').reduce((s, key) => this.resolve(s).properties?.[key] ?? {}, schema);
  }

  private defaultAt(schema: Schema, path: string): unknown {
    return this.schemaAt(schema, path).default;
  }

  // ---- Values the contract calls invalid: a valid value with exactly one stated rule broken, one way per rule

  /** Every way the schema can be broken (none for a payload of any shape), each named after the rule it breaks. */
  invalid(input: Schema, at = '(value)'): Way[] {
    const schema = this.resolve(input);
    if (schema.const !== undefined)
      return [
        way(
          `${at} const`,
          anyText().filter((s) => s !== schema.const),
        ),
      ];
    if (schema.enum)
      return [
        way(
          `${at} enum`,
          anyText().filter((s) => !schema.enum.includes(s)),
        ),
      ];
    switch (schema.type) {
      case 'string':
        return [way(`${at} type`, fc.integer()), ...this.stringViolations(schema, at)];
      case 'integer':
      case 'number':
        return this.numberViolations(schema, at);
      case 'boolean':
        return [way(`${at} type`, fc.constantFrom('true', 'yes', 1, 0))];
      case 'array':
        return this.arrayViolations(schema, at);
      case 'object':
        return this.objectViolations(schema, at);
      default:
        return [];
    }
  }

  /**
   * The ways a query, path or header parameter can be broken, as the strings they travel as (a number in a query
   * string is text: "7" is a valid integer there).
   */
  invalidParameter(input: Schema, at: string): Way<string>[] {
    const schema = this.resolve(input);
    let ways: Way[];
    if (schema.enum || schema.const !== undefined) ways = this.invalid(schema, at);
    else if (schema.type === 'string') ways = this.stringViolations(schema, at);
    else if (schema.type === 'integer') {
      const edges = [schema.minimum - 1, schema.maximum + 1].filter((n) => !Number.isNaN(n)).map(String);
      ways = [way(`${at} integer`, fc.constantFrom('seven', '1.5', 'true', ...edges))];
    } else throw new Error(`the generator does not know parameters of type ${schema.type}`);
    return ways.map((w) =>
      way(
        w.name,
        w.arbitrary.filter((v): v is string => typeof v === 'string'),
      ),
    );
  }

  private stringViolations(schema: Schema, at: string): Way[] {
    const trimmed = !!schema['x-trimmed'];
    const ways: Way[] = [];
    // A filler the pattern accepts, so that only the length is wrong: repeat a valid value's first visible character.
    const filler = this.valid({ ...schema, minLength: undefined, maxLength: undefined })
      .filter((s) => /\S/.test(s as string))
      .map((s) => (s as string).trim()[0]!);
    if (schema.minLength) {
      ways.push(
        way(
          `${at} minLength`,
          filler.map((c) => (trimmed ? ' '.repeat(schema.minLength) : c.repeat(schema.minLength - 1))),
        ),
      );
    }
    if (schema.maxLength !== undefined)
      ways.push(
        way(
          `${at} maxLength`,
          filler.map((c) => c.repeat(schema.maxLength + 1)),
        ),
      );
    if (schema.pattern) {
      const pattern = new RegExp(schema.pattern);
      ways.push(
        way(
          `${at} pattern`,
          anyText().filter((s) => !pattern.test(s)),
        ),
      );
    }
    if (schema.format) ways.push(way(`${at} format`, fc.constantFrom(...this.invalidFormat(schema.format))));
    return ways;
  }

  private invalidFormat(format: string): string[] {
    switch (format) {
      case 'date':
        return ['2026-02-30', '2026-13-01', '26-01-01', 'tomorrow'];
      case 'date-time':
        return ['2026-11-23 10:00:00Z', '2026-11-23T10:00Z', '2026-11-23T25:00:00Z', '2026-11-23T10:00:00', 'now'];
      case 'email':
        return ['anna', 'anna@', '@example.com', 'anna@example', 'an na@example.com'];
      case 'uri':
        return ['not a url', 'http//example.com', '://x'];
      case 'iana-time-zone':
        return ['Europe/Nowhere', 'Mars/Olympus_Mons', 'GMT+25'];
      case 'bcp47-language-tag':
        return ['12345', 'en--GB', 'x!'];
      case 'birth-date':
        return ['02-30', '04-31', '13-01', '1991-02-29', '0714'];
      default:
        throw new Error(`the generator does not know how to break format "${format}"`);
    }
  }

  private numberViolations(schema: Schema, at: string): Way[] {
    const ways: Way[] = [way(`${at} type`, fc.constantFrom('7', 'seven', true, null))];
    if (schema.type === 'integer') ways.push(way(`${at} integer`, fc.constantFrom(1.5, 0.25)));
    if (schema.minimum !== undefined)
      ways.push(way(`${at} minimum`, fc.integer({ max: schema.minimum - 1, min: schema.minimum - 1000 })));
    if (schema.exclusiveMinimum !== undefined) {
      ways.push(
        way(
          `${at} exclusiveMinimum`,
          fc.integer({ max: schema.exclusiveMinimum, min: schema.exclusiveMinimum - 1000 }),
        ),
      );
    }
    if (schema.maximum !== undefined)
      ways.push(way(`${at} maximum`, fc.integer({ min: schema.maximum + 1, max: schema.maximum + 1000 })));
    if (schema.exclusiveMaximum !== undefined) {
      ways.push(
        way(
          `${at} exclusiveMaximum`,
          fc.integer({ min: schema.exclusiveMaximum, max: schema.exclusiveMaximum + 1000 }),
        ),
      );
    }
    return ways;
  }

  private arrayViolations(schema: Schema, at: string): Way[] {
    const item = schema.items ?? {};
    const ways: Way[] = [way(`${at} type`, fc.constantFrom('a list', 42, {}))];
    if (schema.minItems) {
      ways.push(
        way(
          `${at} minItems`,
          fc.array(this.valid(item), { minLength: schema.minItems - 1, maxLength: schema.minItems - 1 }),
        ),
      );
    }
    if (schema.maxItems !== undefined) {
      ways.push(
        way(
          `${at} maxItems`,
          this.valid(item).map((one) => Array.from({ length: schema.maxItems + 1 }, () => structuredClone(one))),
        ),
      );
    }
    const list = this.validArray({ ...schema, minItems: Math.max(1, schema.minItems ?? 0) });
    for (const bad of this.invalid(item, `${at}[]`)) {
      ways.push(
        way(
          bad.name,
          fc.tuple(list, bad.arbitrary, fc.nat()).map(([l, b, i]) => l.map((x, j) => (j === i % l.length ? b : x))),
        ),
      );
    }
    return ways;
  }

  private objectViolations(schema: Schema, at: string): Way[] {
    const whole = this.validObject(schema);
    const ways: Way[] = [way(`${at} type`, fc.constantFrom('an object', 42, [], null))];
    for (const name of schema.required ?? [])
      ways.push(
        way(
          `${at}.${name} required`,
          whole.map((v) => unset(v, name)),
        ),
      );
    for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) {
      for (const bad of this.invalid(property, `${at}.${name}`)) {
        ways.push(
          way(
            bad.name,
            fc.tuple(whole, bad.arbitrary).map(([v, b]) => ({ ...v, [name]: b })),
          ),
        );
      }
    }
    if (schema.additionalProperties === false) {
      const known = Object.keys(schema.properties ?? {});
      const extra = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.includes(k) && k !== '__proto__');
      ways.push(
        way(
          `${at} additionalProperties`,
          fc.tuple(whole, extra).map(([v, k]) => ({ ...v, [k]: 'unexpected' })),
        ),
      );
    }
    for (const rule of (schema['x-rules'] ?? []) as Rule[]) {
      const breaker = this.ruleBreaker(schema, rule);
      ways.push(
        way(
          `${at} x-rules ${rule.rule} ${rule.path ?? rule.paths}`,
          fc.tuple(whole, breaker).map(([v, breakIt]) => breakIt(structuredClone(v))),
        ),
      );
    }
    return ways;
  }
}

/** One way to break a contract: the rule it breaks, and values that break it. */
export interface Way<T = unknown> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
}

function way<T>(name: string, arbitrary: fc.Arbitrary<T>): Way<T> {
  return { name, arbitrary };
}

// ---- Dotted paths into plain values (copies, never in place)

export function get(value: any, path: string): any {
  return path.split('.').reduce((v, key) => (v === undefined || v === null ? undefined : v[key]), value);
}

export function set(value: any, path: string, to: unknown): any {
  const [key, ...rest] = path.split('.');
  const here = value && typeof value === 'object' ? value : {};
  return { ...here, [key!]: rest.length ? set(here[key!], rest.join('.'), to) : to };
}

export function unset(value: any, path: string): any {
  const [key, ...rest] = path.split('.');
  if (!value || typeof value !== 'object' || !(key! in value)) return value;
  if (!rest.length) {
    const { [key!]: _gone, ...others } = value;
    return others;
  }
  return { ...value, [key!]: unset(value[key!], rest.join('.')) };
}

const DAY_MS = 86_400_000;

/** Whole days from one YYYY-MM-DD day to another (negative when `to` is earlier). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
