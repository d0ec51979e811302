/**
 * Chooses the carrier-tracking providers from the config: a default provider (CARRIER_TRACKING_PROVIDER, or the one
 * whose API key is set) and, per carrier code, another one when CARRIER_TRACKING_BY_CARRIER says so
 * (e.g. "omniva=aftership"). Polling and tracker registration go to the provider that serves the parcel's carrier;
 * each provider's webhook route uses that provider's adapter, whichever carriers it serves.
 */
import type { CarrierTrackingProviderName, Config } from '../../config';
import type { TrackingUpdate } from '../../domain/tracking-status';
import { AfterShipTracking } from './aftership';
import { EasyPostTracking } from './easypost';
import { NoCarrierTracking, type CarrierTracking } from './types';

export interface CarrierTrackingProviders {
  /** What the journey's activities use: routes each carrier to its provider. */
  tracking: CarrierTracking;
  /** The configured adapters by name, for their webhook routes. */
  easypost?: EasyPostTracking;
  aftership?: AfterShipTracking;
}

export function createCarrierTracking(config: Pick<Config, 'carrierTracking' | 'easypost' | 'aftership'>): CarrierTrackingProviders {
  const easypost = config.easypost ? new EasyPostTracking(config.easypost) : undefined;
  const aftership = config.aftership ? new AfterShipTracking(config.aftership) : undefined;
  const none = new NoCarrierTracking();
  const byName = (name: CarrierTrackingProviderName): CarrierTracking => (name === 'easypost' ? easypost : name === 'aftership' ? aftership : none) ?? none;
  const { provider, byCarrier } = config.carrierTracking;
  const routes = Object.fromEntries(Object.entries(byCarrier).map(([carrier, name]) => [carrier, byName(name)]));
  const fallback = byName(provider);
  return {
    tracking: Object.keys(routes).length ? new CarrierRouting(fallback, routes) : fallback,
    ...(easypost ? { easypost } : {}),
    ...(aftership ? { aftership } : {}),
  };
}

/** Sends each carrier's parcels to the provider configured for that carrier, the rest to the default one. */
export class CarrierRouting implements CarrierTracking {
  readonly name: string;

  constructor(
    private readonly fallback: CarrierTracking,
    private readonly routes: Record<string, CarrierTracking>,
  ) {
    this.name = `${fallback.name}+${Object.entries(routes).map(([carrier, p]) => `${carrier}:${p.name}`).join(',')}`;
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
