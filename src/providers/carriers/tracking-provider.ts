/**
 * What a carrier-tracking provider brings to the service, in one entry of the table in ./tracking-providers.ts: its
 * options schema (read from the environment by src/config/sections/carrier-tracking.ts), its adapter factory and its
 * webhook. Config, provider selection, the webhook routes and the API docs all walk that table, so a new provider is
 * one adapter file and one entry (README: "Add a carrier tracking provider").
 */
import type { z } from 'zod';
import type { CarrierTracking } from './types';

/** Option values come from environment variables: strings (`z.coerce` for numbers), optional unless a credential. */
export type ProviderOptionsSchema = z.ZodObject<Record<string, z.ZodType<unknown, string | undefined>>>;

export interface CarrierTrackingProvider<Schema extends ProviderOptionsSchema = ProviderOptionsSchema> {
  /** How people write it: "EasyPost". */
  label: string;
  /**
   * The adapter's options. Each field is read from `<NAME>_<FIELD>` (easypost, webhookSecret →
   * EASYPOST_WEBHOOK_SECRET); the required fields are the credentials: the provider is configured when they are set,
   * and the optional fields have no effect without them.
   */
  options: Schema;
  /** The adapter for the configured options. */
  create(options: z.output<Schema>): CarrierTracking;
  /**
   * The provider pushes updates to POST /v1/webhooks/tracking/<name>; the adapter's `parseWebhook` verifies them.
   * Left out: the provider is polled only.
   */
  webhook?: {
    /** The request header carrying the signature, as the provider documents it. */
    signatureHeader: string;
    /** The option holding the signing secret: without it the route answers 503 and accepts nothing. */
    secretOption: keyof z.output<Schema> & string;
  };
}

/** Checks an entry against its own schema (the factory must accept what the schema reads); keeps its precise type. */
export function defineCarrierTrackingProvider<Schema extends ProviderOptionsSchema>(
  provider: CarrierTrackingProvider<Schema>,
): CarrierTrackingProvider<Schema> {
  return provider;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own schema
export type CarrierTrackingTable = Record<string, CarrierTrackingProvider<any>>;

/** A name in CARRIER_TRACKING_PROVIDER / CARRIER_TRACKING_BY_CARRIER: a table entry, or "none" (nothing tracks). */
export type TrackingProviderName<Table extends CarrierTrackingTable> = (keyof Table & string) | 'none';

export type TrackingProviderOptions<Entry> =
  Entry extends CarrierTrackingProvider<infer Schema> ? z.output<Schema> : never;

/** Which provider follows which parcels, and the options of each configured one: what config reads for the table. */
export interface CarrierTrackingSettings<Table extends CarrierTrackingTable> {
  /** The default provider. */
  provider: TrackingProviderName<Table>;
  /** Per carrier code (lowercase), when another provider than the default follows that carrier's parcels. */
  byCarrier: Record<string, TrackingProviderName<Table>>;
  /** The configured providers' options; a provider left out is not configured. */
  options: { [Name in keyof Table]?: TrackingProviderOptions<Table[Name]> };
}

/** `<NAME>_<FIELD>`: the environment variable of an option (easypost, webhookSecret → EASYPOST_WEBHOOK_SECRET). */
export function providerVariable(provider: string, option: string): string {
  return `${provider}_${option.replace(/([a-z0-9])([A-Z])/g, '$1_$2')}`.toUpperCase();
}

/** A provider's webhook route: POST /v1/webhooks/tracking/<name>. */
export interface TrackingWebhookRoute<Name extends string = string> {
  name: Name;
  label: string;
  signatureHeader: string;
  /** The option holding the signing secret, and its environment variable (named when the route answers 503). */
  secretOption: string;
  secretVariable: string;
}

/** The table's providers that push webhooks, in table order. */
export function trackingWebhookRoutes<Table extends CarrierTrackingTable>(
  table: Table,
): TrackingWebhookRoute<keyof Table & string>[] {
  return Object.entries(table).flatMap(([name, { label, webhook }]) =>
    webhook ? [{ name, label, ...webhook, secretVariable: providerVariable(name, webhook.secretOption) }] : [],
  );
}
