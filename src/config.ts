/**
 * The service's one configuration, read from the environment and validated once at start-up.
 * A bad or missing value stops the process with a message naming the variable.
 */
import { z } from 'zod';
import { parseKeyRing, type EncryptionKey } from './temporal/encryption-codec';
import type { SendGridOptions } from './providers/email/sendgrid';
import type { TwilioOptions } from './providers/sms/twilio';
import { journeyPolicyOverridesSchema, type JourneyPolicyOverrides } from './domain/policy';

const csv = z
  .string()
  .transform((s) => s.split(',').map((part) => part.trim()).filter(Boolean));

const bool = z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1');

const port = z.coerce.number().int().min(1).max(65_535);

/** Provider endpoints and callbacks: "localhost:8080" parses as a URL with scheme "localhost:", so insist on http(s). */
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** A provider quota in messages per second, e.g. "10" or "0.5". */
const perSecond = z.coerce.number({ error: 'must be a number of messages per second' }).positive('must be a positive number');

const CARRIER_TRACKING_PROVIDERS = ['easypost', 'aftership', 'none'] as const;
export type CarrierTrackingProviderName = (typeof CARRIER_TRACKING_PROVIDERS)[number];

/** "dpd=aftership,omniva=aftership": which tracking provider follows a carrier's parcels, when not the default one. */
const carrierRoutes = csv.pipe(
  z.array(
    z
      .string()
      .regex(/^[a-z0-9_-]+=(easypost|aftership|none)$/, 'must list carrier=provider pairs, e.g. "dpd=aftership,omniva=easypost"'),
  ),
);

/** Keys that start and stop the dev stack on a laptop; refused in production. */
export const DEV_API_KEYS = { checkout: 'dev-checkout-key', support: 'dev-support-key' } as const;

/** Signs unsubscribe links on laptops and in tests; refused in production (anyone could forge links with it). */
export const DEV_UNSUBSCRIBE_SECRET = 'order-journeys-dev-unsubscribe-secret';

/** The published payload key of laptops and tests (32 bytes of "order-journeys-dev-key"); refused in production. */
export const DEV_ENCRYPTION_KEYS = `dev:${Buffer.from('order-journeys-dev-key-32-bytes!').toString('base64')}`;

const envSchema = z
  .object({
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

    TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('order-journeys'),
    TEMPORAL_TLS: bool.default(false),
    TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    /** `id:base64key[,id:base64key…]`, newest first: encrypts every payload Temporal stores (see src/temporal/encryption-codec.ts). */
    PAYLOAD_ENCRYPTION_KEYS: z
      .string()
      .superRefine((spec, ctx) => {
        try {
          parseKeyRing(spec);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      })
      .optional(),
    /** Origins of the Temporal UI allowed to call the codec server. */
    CODEC_CORS_ORIGINS: csv.default(['http://localhost:8233']),
    /** Dev stack only: the local Temporal UI (which has no login) may decode without a support key. */
    CODEC_OPEN_IN_DEV: bool.default(false),

    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),

    API_KEYS_CHECKOUT: csv.optional(),
    API_KEYS_SUPPORT: csv.optional(),

    SUPPORT_EMAIL: z.email().default('support@example.com'),
    SUPPORT_PHONE: z.string().min(1).optional(),
    SHOP_NAME: z.string().min(1).default('Our shop'),
    SHOP_POSTAL_ADDRESS: z.string().trim().min(1).max(300).default('Example Shop, 1 Example Street, Riga, LV-1010, Latvia'),
    SHOP_URL: httpUrl.default('https://shop.example'),
    UNSUBSCRIBE_SECRET: z.string().min(32, 'must be at least 32 characters (a random secret)').optional(),
    UNSUBSCRIBE_TOKEN_TTL_DAYS: z.coerce.number({ error: 'must be a number of days' }).int('must be a whole number of days').min(1).max(365).default(60),
    UNSUBSCRIBE_MAILTO: z.email().optional(),

    SENDGRID_API_KEY: z.string().startsWith('SG.', 'must start with "SG."').optional(),
    SENDGRID_FROM: z.email().optional(),
    SENDGRID_FROM_NAME: z.string().min(1).optional(),
    SENDGRID_REPLY_TO: z.email().optional(),
    SENDGRID_SANDBOX_MODE: bool.default(false),
    SENDGRID_UNSUBSCRIBE_GROUP_ID: z.coerce
      .number({ error: 'must be the numeric id of a SendGrid unsubscribe group' })
      .int('must be a whole number')
      .positive('must be a positive number')
      .optional(),
    SENDGRID_BASE_URL: httpUrl.optional(),
    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be "AC" followed by 32 hex digits').optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    TWILIO_FROM: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14155550100').optional(),
    TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/).optional(),
    TWILIO_STATUS_CALLBACK_URL: httpUrl.optional(),
    TWILIO_BASE_URL: httpUrl.optional(),

    SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().min(1).optional(),
    EMAIL_MAX_PER_SECOND: perSecond.optional(),
    SMS_MAX_PER_SECOND: perSecond.optional(),

    CARRIER_TRACKING_PROVIDER: z.enum(CARRIER_TRACKING_PROVIDERS).optional(),
    CARRIER_TRACKING_BY_CARRIER: carrierRoutes.optional(),
    EASYPOST_API_KEY: z.string().min(1).optional(),
    EASYPOST_WEBHOOK_SECRET: z.string().min(1).optional(),
    EASYPOST_BASE_URL: httpUrl.optional(),
    AFTERSHIP_API_KEY: z.string().min(1).optional(),
    AFTERSHIP_WEBHOOK_SECRET: z.string().min(1).optional(),
    AFTERSHIP_BASE_URL: httpUrl.optional(),

    /** pino's level for the API's and the worker's JSON logs. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** The worker's own Prometheus metrics (messages, provider latency, process) at :PORT/metrics. */
    WORKER_METRICS_PORT: port.default(9464),
    /** The Temporal SDK's Prometheus metrics (Core: task slots, polls, workflow and activity outcomes) at :PORT/metrics. */
    WORKER_SDK_METRICS_PORT: port.default(9465),
  })
  .superRefine((env, ctx) => {
    const requireTogether = (names: (keyof typeof env)[], why: string) => {
      const given = names.filter((n) => env[n] !== undefined);
      if (given.length > 0 && given.length < names.length) {
        for (const n of names.filter((n) => env[n] === undefined)) {
          ctx.addIssue({ code: 'custom', path: [n], message: `is required when ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} set (${why})` });
        }
      }
    };
    requireTogether(['SENDGRID_API_KEY', 'SENDGRID_FROM'], 'SendGrid email');
    requireTogether(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'], 'Twilio SMS');
    requireTogether(['TEMPORAL_TLS_CERT_PATH', 'TEMPORAL_TLS_KEY_PATH'], 'mTLS to Temporal');
    if (env.TWILIO_ACCOUNT_SID && !env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID) {
      ctx.addIssue({ code: 'custom', path: ['TWILIO_FROM'], message: 'or TWILIO_MESSAGING_SERVICE_SID is required for Twilio SMS' });
    }
    // Provider options without the provider's credentials would silently leave messages in the local outbox.
    const requireCredentials = (names: (keyof typeof env)[], credential: keyof typeof env) => {
      for (const n of names.filter((n) => env[n] !== undefined && !env[credential])) {
        ctx.addIssue({ code: 'custom', path: [n], message: `has no effect without ${credential}` });
      }
    };
    requireCredentials(['SENDGRID_FROM_NAME', 'SENDGRID_REPLY_TO', 'SENDGRID_UNSUBSCRIBE_GROUP_ID', 'SENDGRID_BASE_URL'], 'SENDGRID_API_KEY');
    requireCredentials(['TWILIO_STATUS_CALLBACK_URL', 'TWILIO_BASE_URL'], 'TWILIO_ACCOUNT_SID');
    requireCredentials(['SENDGRID_WEBHOOK_PUBLIC_KEY'], 'SENDGRID_API_KEY');
    requireCredentials(['EASYPOST_WEBHOOK_SECRET', 'EASYPOST_BASE_URL'], 'EASYPOST_API_KEY');
    requireCredentials(['AFTERSHIP_WEBHOOK_SECRET', 'AFTERSHIP_BASE_URL'], 'AFTERSHIP_API_KEY');
    // A tracking provider chosen without its key would silently track nothing.
    const chosen = [env.CARRIER_TRACKING_PROVIDER, ...(env.CARRIER_TRACKING_BY_CARRIER ?? []).map((r) => r.split('=')[1])];
    if (chosen.includes('easypost') && !env.EASYPOST_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['EASYPOST_API_KEY'], message: 'is required when EasyPost tracks parcels (CARRIER_TRACKING_PROVIDER / CARRIER_TRACKING_BY_CARRIER)' });
    }
    if (chosen.includes('aftership') && !env.AFTERSHIP_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['AFTERSHIP_API_KEY'], message: 'is required when AfterShip tracks parcels (CARRIER_TRACKING_PROVIDER / CARRIER_TRACKING_BY_CARRIER)' });
    }
    if (env.NODE_ENV === 'production') {
      if (!env.UNSUBSCRIBE_SECRET) ctx.addIssue({ code: 'custom', path: ['UNSUBSCRIBE_SECRET'], message: 'is required in production' });
      else if (env.UNSUBSCRIBE_SECRET === DEV_UNSUBSCRIBE_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['UNSUBSCRIBE_SECRET'], message: 'must not use the published dev secret in production' });
      }
      if (!env.PAYLOAD_ENCRYPTION_KEYS) ctx.addIssue({ code: 'custom', path: ['PAYLOAD_ENCRYPTION_KEYS'], message: 'is required in production' });
      else if (env.PAYLOAD_ENCRYPTION_KEYS.includes(DEV_ENCRYPTION_KEYS.slice('dev:'.length))) {
        ctx.addIssue({ code: 'custom', path: ['PAYLOAD_ENCRYPTION_KEYS'], message: 'must not use the published dev key in production' });
      }
      if (env.CODEC_OPEN_IN_DEV) ctx.addIssue({ code: 'custom', path: ['CODEC_OPEN_IN_DEV'], message: 'must not be set in production' });
      for (const n of ['API_KEYS_CHECKOUT', 'API_KEYS_SUPPORT'] as const) {
        if (!env[n]?.length) ctx.addIssue({ code: 'custom', path: [n], message: 'is required in production' });
        if (env[n]?.some((k) => (Object.values(DEV_API_KEYS) as string[]).includes(k))) {
          ctx.addIssue({ code: 'custom', path: [n], message: 'must not use the published dev keys in production' });
        }
      }
    }
  });

/** Every environment variable the config reads: compose files and deploy manifests are checked against this list. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export type Role = 'checkout' | 'support';

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  publicBaseUrl: string;
  /** Which journey policy new journeys start with: production durations, or the demo's seconds-for-days. */
  journeyPolicy: 'production' | 'demo';
  /** Fields laid over the named policy (JOURNEY_POLICY_OVERRIDES); empty when unset. */
  journeyPolicyOverrides: JourneyPolicyOverrides;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    tls?: { certPath?: string; keyPath?: string };
    apiKey?: string;
    /** Payload encryption keys, newest first. */
    encryptionKeys: EncryptionKey[];
  };
  databaseUrl: string;
  /** The codec server the Temporal UI calls to show encrypted payloads to support staff. */
  codec: { corsOrigins: string[]; openInDev: boolean };
  apiKeys: Record<Role, string[]>;
  shop: {
    name: string;
    supportEmail: string;
    supportPhone?: string;
    /** The sender's postal address, printed in every marketing email. */
    postalAddress: string;
    /** The shop's web address: review and reorder links start here. */
    url: string;
    /** Where marketing emails send a reader who wants out, when the sender passes no per-recipient link. */
    unsubscribeUrl: string;
  };
  /** One-click unsubscribe links in marketing email (src/domain/unsubscribe-token.ts). */
  unsubscribe: {
    /** HMAC-SHA256 key the links' tokens are signed with. */
    secret: string;
    /** How long a link works after the email was sent. */
    tokenTtlDays: number;
    /** Optional mailbox for List-Unsubscribe's mailto: entry. */
    mailto?: string;
  };
  /** The provider adapters' own options (documented there), as read from the environment. */
  sendgrid?: Omit<SendGridOptions, 'timeoutMs'>;
  twilio?: Omit<TwilioOptions, 'timeoutMs'>;
  /** SendGrid's event webhook verification key (Mail Settings → Event Webhook → Signed Event Webhook), PEM or base64. */
  sendgridWebhookPublicKey?: string;
  /**
   * Provider quotas, enforced by the Temporal server for the email and SMS task queues (`<taskQueue>-email`, `-sms`) as
   * `maxTaskQueueActivitiesPerSecond`. Unset: no limit.
   */
  rateLimits: { emailPerSecond?: number; smsPerSecond?: number };
  /** Carrier tracking: which provider follows parcels by default, and per carrier code when another one should. */
  carrierTracking: {
    provider: CarrierTrackingProviderName;
    byCarrier: Record<string, CarrierTrackingProviderName>;
  };
  easypost?: {
    apiKey: string;
    /** The secret EasyPost signs webhooks with (X-Hmac-Signature); without it the EasyPost webhook accepts nothing. */
    webhookSecret?: string;
    /** Proxy or test server instead of https://api.easypost.com/v2/. */
    baseUrl?: string;
  };
  aftership?: {
    apiKey: string;
    /** The secret AfterShip signs webhooks with (aftership-hmac-sha256); without it the AfterShip webhook accepts nothing. */
    webhookSecret?: string;
    /** Proxy or test server instead of https://api.aftership.com. */
    baseUrl?: string;
  };
  /** Logs and metrics (src/logger.ts, src/observability/). */
  observability: {
    logLevel: string;
    workerMetricsPort: number;
    workerSdkMetricsPort: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the config from `env` (the process environment by default). Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
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
  const isProduction = e.NODE_ENV === 'production';
  const publicBaseUrl = e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    publicBaseUrl,
    journeyPolicy: e.JOURNEY_POLICY,
    journeyPolicyOverrides: e.JOURNEY_POLICY_OVERRIDES ?? {},
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls: e.TEMPORAL_TLS || e.TEMPORAL_TLS_CERT_PATH ? { certPath: e.TEMPORAL_TLS_CERT_PATH, keyPath: e.TEMPORAL_TLS_KEY_PATH } : undefined,
      apiKey: e.TEMPORAL_API_KEY,
      encryptionKeys: parseKeyRing(e.PAYLOAD_ENCRYPTION_KEYS ?? DEV_ENCRYPTION_KEYS),
    },
    databaseUrl: e.DATABASE_URL,
    codec: { corsOrigins: e.CODEC_CORS_ORIGINS, openInDev: e.CODEC_OPEN_IN_DEV },
    apiKeys: {
      checkout: e.API_KEYS_CHECKOUT ?? (isProduction ? [] : [DEV_API_KEYS.checkout]),
      support: e.API_KEYS_SUPPORT ?? (isProduction ? [] : [DEV_API_KEYS.support]),
    },
    shop: {
      name: e.SHOP_NAME,
      supportEmail: e.SUPPORT_EMAIL,
      supportPhone: e.SUPPORT_PHONE,
      postalAddress: e.SHOP_POSTAL_ADDRESS,
      url: e.SHOP_URL.replace(/\/+$/, ''),
      unsubscribeUrl: `${publicBaseUrl.replace(/\/+$/, '')}/v1/unsubscribe`,
    },
    unsubscribe: {
      secret: e.UNSUBSCRIBE_SECRET ?? DEV_UNSUBSCRIBE_SECRET,
      tokenTtlDays: e.UNSUBSCRIBE_TOKEN_TTL_DAYS,
      mailto: e.UNSUBSCRIBE_MAILTO,
    },
    sendgrid:
      e.SENDGRID_API_KEY && e.SENDGRID_FROM
        ? {
            apiKey: e.SENDGRID_API_KEY,
            from: e.SENDGRID_FROM,
            fromName: e.SENDGRID_FROM_NAME ?? e.SHOP_NAME,
            replyTo: e.SENDGRID_REPLY_TO,
            sandboxMode: e.SENDGRID_SANDBOX_MODE,
            unsubscribeGroupId: e.SENDGRID_UNSUBSCRIBE_GROUP_ID,
            baseUrl: e.SENDGRID_BASE_URL,
          }
        : undefined,
    twilio:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
        ? {
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            from: e.TWILIO_FROM,
            messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
            statusCallbackUrl: e.TWILIO_STATUS_CALLBACK_URL,
            baseUrl: e.TWILIO_BASE_URL,
          }
        : undefined,
    sendgridWebhookPublicKey: e.SENDGRID_WEBHOOK_PUBLIC_KEY,
    rateLimits: { emailPerSecond: e.EMAIL_MAX_PER_SECOND, smsPerSecond: e.SMS_MAX_PER_SECOND },
    carrierTracking: {
      // Unset: the provider whose key is configured (EasyPost first), else none.
      provider: e.CARRIER_TRACKING_PROVIDER ?? (e.EASYPOST_API_KEY ? 'easypost' : e.AFTERSHIP_API_KEY ? 'aftership' : 'none'),
      byCarrier: Object.fromEntries(
        (e.CARRIER_TRACKING_BY_CARRIER ?? []).map((route) => route.split('=') as [string, CarrierTrackingProviderName]),
      ),
    },
    easypost: e.EASYPOST_API_KEY
      ? { apiKey: e.EASYPOST_API_KEY, webhookSecret: e.EASYPOST_WEBHOOK_SECRET, baseUrl: e.EASYPOST_BASE_URL }
      : undefined,
    aftership: e.AFTERSHIP_API_KEY
      ? { apiKey: e.AFTERSHIP_API_KEY, webhookSecret: e.AFTERSHIP_WEBHOOK_SECRET, baseUrl: e.AFTERSHIP_BASE_URL }
      : undefined,
    observability: { logLevel: e.LOG_LEVEL, workerMetricsPort: e.WORKER_METRICS_PORT, workerSdkMetricsPort: e.WORKER_SDK_METRICS_PORT },
  };
}

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
