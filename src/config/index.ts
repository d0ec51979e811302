/**
 * The service's one configuration, read from the environment and validated once at start-up.
 * A bad or missing value stops the process (exit 78) with a message naming the variable.
 *
 *   env.ts        the environment schema: the sections' variables and rules, in one zod object
 *   sections/     one concern each (a provider, Temporal, the codec server…): variables, rules, its part of Config
 *   index.ts      here: Config, and loadConfig assembling the sections' parts
 */
import type { CarrierTrackingSettings, CarrierTrackingTable } from '../providers/carriers/tracking-provider';
import {
  CARRIER_TRACKING_PROVIDERS,
  type CarrierTrackingProviderTable,
} from '../providers/carriers/tracking-providers';
import type { TemporalSettings } from '../temporal/connection';
import { configSections, environmentSchema } from './env';
import type { Role } from './sections/api-keys';
import type { CodecConfig } from './sections/codec';
import type { ObservabilityConfig } from './sections/observability';
import type { RateLimits } from './sections/rate-limits';
import type { SendGridConfig } from './sections/sendgrid';
import type { TwilioConfig } from './sections/twilio';
import type { ResendConfig } from './sections/resend';
import type { ReturnLabelsConfig } from './sections/return-labels';
import type { VonageConfig, VonageSignature } from './sections/vonage';
import type { FailoverConfig } from './sections/failover';
import type { ServiceConfig } from './sections/service';
import type { ShopConfig } from './sections/shop';
import type { UnsubscribeConfig } from './sections/unsubscribe';

export { CONFIG_VARIABLES } from './env';
export { DEV_API_KEYS, type Role } from './sections/api-keys';
export { DEFAULT_MAX_CACHED_WORKFLOWS, DEV_ENCRYPTION_KEYS } from './sections/temporal';
export { DEV_UNSUBSCRIBE_SECRET } from './sections/unsubscribe';
export type { CarrierTrackingProviderName } from '../providers/carriers/tracking-providers';
export type { ReturnLabelsConfig } from './sections/return-labels';

/** `Table`: the carrier-tracking providers (a test may add one). */
export interface Config<Table extends CarrierTrackingTable = CarrierTrackingProviderTable>
  extends ServiceConfig, SendGridConfig {
  temporal: TemporalSettings;
  /** The codec server the Temporal UI calls to show encrypted payloads to support staff. */
  codec: CodecConfig;
  apiKeys: Record<Role, string[]>;
  shop: ShopConfig;
  /** One-click unsubscribe links in marketing email (src/domain/unsubscribe-token.ts). */
  unsubscribe: UnsubscribeConfig;
  /** Twilio's adapter options (src/providers/sms/twilio.ts); undefined: SMS go to the local outbox. */
  twilio?: TwilioConfig;
  /** Resend's adapter options: SendGrid's failover provider (or the only email provider without SendGrid). */
  resend?: ResendConfig;
  /** Resend's webhook signing secret (`whsec_…`); unset: Resend's events are answered 503. */
  resendWebhookSecret?: string;
  /** Vonage's adapter options: Twilio's failover provider (or the only SMS provider without Twilio). */
  vonage?: VonageConfig;
  /** How Vonage signs its delivery receipts (VONAGE_SIGNATURE_SECRET / _METHOD); unset: they are answered 503. */
  vonageSignature?: VonageSignature;
  /** Circuit breakers and the failover rule's rate-limit wait (docs/failover.md). */
  failover: FailoverConfig;
  /** Provider quotas for the email and SMS task queues; unset: no limit. */
  rateLimits: RateLimits;
  /** Carrier tracking: the default provider, per carrier code when another one, each configured provider's options. */
  carrierTracking: CarrierTrackingSettings<Table>;
  /** Prepaid return labels (with the EasyPost key of `carrierTracking`); undefined: plain return instructions. */
  returnLabels?: ReturnLabelsConfig;
  /** Logs and metrics (src/logger.ts, src/observability/). */
  observability: ObservabilityConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A loader for another carrier-tracking table: how a test shows a new table entry is configurable. */
export function configLoader<Table extends CarrierTrackingTable>(table: Table) {
  const sections = configSections(table);
  const schema = environmentSchema(sections);
  /** Reads the config from `env` (the process environment by default). Throws ConfigError naming every bad variable. */
  return function load(env: NodeJS.ProcessEnv = process.env): Config<Table> {
    // Empty strings count as unset, as in most shells' `VAR= cmd`.
    const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
    const parsed = schema.safeParse(present);
    if (!parsed.success) {
      throw new ConfigError(
        parsed.error.issues.map((issue) => {
          const name = String(issue.path[0] ?? 'environment');
          // A field inside a JSON variable (JOURNEY_POLICY_OVERRIDES) is named too.
          const field = issue.path.length > 1 ? `.${issue.path.slice(1).join('.')}` : '';
          return issue.code === 'invalid_type' && present[name] === undefined
            ? `${name} is required`
            : `${name}${field} ${issue.message}`;
        }),
      );
    }
    const e = parsed.data;
    return {
      ...sections.service.read(e),
      temporal: sections.temporal.read(e),
      codec: sections.codec.read(e),
      apiKeys: sections.apiKeys.read(e),
      shop: sections.shop.read(e),
      unsubscribe: sections.unsubscribe.read(e),
      ...sections.sendgrid.read(e),
      ...sections.twilio.read(e),
      ...sections.resend.read(e),
      ...sections.vonage.read(e),
      ...sections.failover.read(e),
      rateLimits: sections.rateLimits.read(e),
      carrierTracking: sections.carrierTracking.read(e),
      ...sections.returnLabels.read(e),
      observability: sections.observability.read(e),
    };
  };
}

/** Reads the config from `env` (the process environment by default). Throws ConfigError naming every bad variable. */
export const loadConfig = configLoader(CARRIER_TRACKING_PROVIDERS);

/** For entry points: load the config or print what is wrong and exit. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
