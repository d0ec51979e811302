/**
 * Carrier tracking: which provider follows parcels by default (CARRIER_TRACKING_PROVIDER), which one per carrier code
 * (CARRIER_TRACKING_BY_CARRIER="dpd=aftership,omniva=aftership"), and each provider's options, read for every entry
 * of the provider table from `<NAME>_<OPTION>` (EASYPOST_API_KEY, AFTERSHIP_WEBHOOK_SECRET…). Nothing here names a
 * provider: the table (src/providers/carriers/tracking-providers.ts) does.
 */
import { z } from 'zod';
import {
  providerVariable,
  type CarrierTrackingProvider,
  type CarrierTrackingSettings,
  type CarrierTrackingTable,
  type TrackingProviderName,
  type TrackingProviderOptions,
} from '../../providers/carriers/tracking-provider';
import { csv } from '../values';
import { isSet, requireCredential, requireTogether, type ConfigSection, type ParsedEnv } from '../section';

interface ProviderVariables {
  name: string;
  label: string;
  /** option → variable. */
  variables: Record<string, string>;
  /** The variables of the required options: the provider is configured when they are set. */
  credentials: string[];
}

export function carrierTrackingSection<Table extends CarrierTrackingTable>(
  table: Table,
): ConfigSection<CarrierTrackingSettings<Table>> {
  // Walked as entries of the general shape: each schema's own type matters only to the adapter it configures.
  const entries: Record<string, CarrierTrackingProvider> = table;
  const providers: ProviderVariables[] = Object.entries(entries).map(([name, entry]) => {
    const fields = Object.entries(entry.options.shape as Record<string, z.ZodType>);
    return {
      name,
      label: entry.label,
      variables: Object.fromEntries(fields.map(([option]) => [option, providerVariable(name, option)])),
      credentials: fields
        .filter(([, schema]) => !schema.safeParse(undefined).success)
        .map(([o]) => providerVariable(name, o)),
    };
  });
  const names = [...providers.map((p) => p.name), 'none'] as unknown as [
    TrackingProviderName<Table>,
    ...TrackingProviderName<Table>[],
  ];
  const example = names.length > 2 ? `dpd=${names[1]},omniva=${names[0]}` : `dpd=${names[0]}`;
  const route = new RegExp(`^[a-z0-9_-]+=(${names.join('|')})$`);
  const pairs = `must list carrier=provider pairs, e.g. "${example}"`;
  const configured = (env: ParsedEnv, p: ProviderVariables) => p.credentials.every((v) => isSet(env, v));

  const variables: Record<string, z.ZodType> = {
    CARRIER_TRACKING_PROVIDER: z.enum(names).optional(),
    /** "dpd=aftership,omniva=aftership": which provider follows a carrier's parcels, when not the default one. */
    CARRIER_TRACKING_BY_CARRIER: csv
      .pipe(z.array(z.string()).refine((routes) => routes.every((r) => route.test(r)), pairs))
      .optional(),
  };
  for (const p of providers) {
    const shape = entries[p.name]!.options.shape as Record<string, z.ZodType>;
    // Every variable may be unset (the provider is off; check() names a credential missing where it is needed), and
    // an option's default is the adapter's, applied in read(): a defaulted variable is not one "set without its key".
    for (const [option, variable] of Object.entries(p.variables)) {
      const schema = shape[option]!;
      variables[variable] = (schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema).optional();
    }
  }

  const routesOf = (env: ParsedEnv) =>
    ((env.CARRIER_TRACKING_BY_CARRIER as string[] | undefined) ?? []).map(
      (r) => r.split('=') as [string, TrackingProviderName<Table>],
    );

  return {
    variables,
    check(env, report) {
      for (const p of providers) {
        if (p.credentials.length > 1) requireTogether(env, p.credentials, `${p.label} tracking`, report);
        const others = Object.values(p.variables).filter((v) => !p.credentials.includes(v));
        if (p.credentials[0]) requireCredential(env, others, p.credentials[0], report);
      }
      // A tracking provider chosen without its credentials would silently track nothing.
      const chosen = [env.CARRIER_TRACKING_PROVIDER, ...routesOf(env).map(([, name]) => name)];
      for (const p of providers.filter((p) => chosen.includes(p.name))) {
        for (const variable of p.credentials.filter((v) => !isSet(env, v))) {
          const why = `when ${p.label} tracks parcels (CARRIER_TRACKING_PROVIDER / CARRIER_TRACKING_BY_CARRIER)`;
          report(variable, `is required ${why}`);
        }
      }
    },
    read(env) {
      const options: CarrierTrackingSettings<Table>['options'] = {};
      for (const p of providers.filter((p) => configured(env, p))) {
        const values = Object.entries(p.variables).map(([option, variable]) => [option, env[variable]]);
        // Each value passed its rule already; the entry's schema adds its defaults and gives the adapter's type.
        const parsed = entries[p.name]!.options.parse(Object.fromEntries(values));
        options[p.name as keyof Table] = parsed as TrackingProviderOptions<Table[keyof Table]>;
      }
      // Unset: the first provider of the table whose credentials are set, else none.
      const fallback = providers.find((p) => configured(env, p))?.name ?? 'none';
      return {
        provider: (env.CARRIER_TRACKING_PROVIDER ?? fallback) as TrackingProviderName<Table>,
        byCarrier: Object.fromEntries(routesOf(env)),
        options,
      };
    },
  };
}
