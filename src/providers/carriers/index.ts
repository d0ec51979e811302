/**
 * Chooses the carrier-tracking providers from the config: a default provider (CARRIER_TRACKING_PROVIDER, or the one
 * whose API key is set) and, per carrier code, another one when CARRIER_TRACKING_BY_CARRIER says so
 * (e.g. "omniva=aftership"). Polling and tracker registration go to the provider that serves the parcel's carrier;
 * each provider's webhook route uses that provider's adapter, whichever carriers it serves.
 */
import type { TrackingUpdate } from '../../domain/tracking-status';
import type { CarrierTrackingSettings, CarrierTrackingTable, TrackingProviderOptions } from './tracking-provider';
import { CARRIER_TRACKING_PROVIDERS, type CarrierTrackingProviderTable } from './tracking-providers';
import { NoCarrierTracking, type CarrierTracking } from './types';

export interface CarrierTrackingSelection<Table extends CarrierTrackingTable> {
  /** What the journey's activities use: routes each carrier to its provider. */
  tracking: CarrierTracking;
  /** The configured adapters by name, for their webhook routes. */
  adapters: { [Name in keyof Table]?: CarrierTracking };
}

/** `table`: the service's providers; a test may pass the table with an entry of its own. */
export function createCarrierTracking<Table extends CarrierTrackingTable = CarrierTrackingProviderTable>(
  config: { carrierTracking: CarrierTrackingSettings<Table> },
  table: Table = CARRIER_TRACKING_PROVIDERS as CarrierTrackingTable as Table,
): CarrierTrackingSelection<Table> {
  const { provider, byCarrier, options } = config.carrierTracking;
  const adapters: { [Name in keyof Table]?: CarrierTracking } = {};
  for (const name of Object.keys(table) as (keyof Table & string)[]) {
    const configured: TrackingProviderOptions<Table[typeof name]> | undefined = options[name];
    if (configured) adapters[name] = table[name]!.create(configured);
  }
  const none = new NoCarrierTracking();
  const byName = (name: string): CarrierTracking => adapters[name] ?? none;
  const routes = Object.fromEntries(Object.entries(byCarrier).map(([carrier, name]) => [carrier, byName(name)]));
  const fallback = byName(provider);
  return { tracking: Object.keys(routes).length ? new CarrierRouting(fallback, routes) : fallback, adapters };
}

/** Sends each carrier's parcels to the provider configured for that carrier, the rest to the default one. */
export class CarrierRouting implements CarrierTracking {
  readonly name: string;

  constructor(
    private readonly fallback: CarrierTracking,
    private readonly routes: Record<string, CarrierTracking>,
  ) {
    this.name = `${fallback.name}+${Object.entries(routes)
      .map(([carrier, p]) => `${carrier}:${p.name}`)
      .join(',')}`;
  }

  latestStatus(carrier: string, trackingNumber: string): Promise<TrackingUpdate | null> {
    return this.for(carrier).latestStatus(carrier, trackingNumber);
  }

  async registerTracker(carrier: string, trackingNumber: string): Promise<void> {
    await this.for(carrier).registerTracker?.(carrier, trackingNumber);
  }

  canTrack(carrier: string): boolean {
    return this.for(carrier).canTrack?.(carrier) ?? true;
  }

  private for(carrier: string): CarrierTracking {
    return this.routes[carrier.toLowerCase()] ?? this.fallback;
  }
}

export type { CarrierTracking } from './types';
export {
  CARRIER_TRACKING_PROVIDERS,
  type CarrierTrackingConfig,
  type CarrierTrackingProviderName,
} from './tracking-providers';
