/** What the journey needs from a carrier-tracking provider (EasyPost, AfterShip, …), in our own status taxonomy. */
import type { TrackingUpdate } from '../../domain/tracking-status';

export interface CarrierTracking {
  readonly name: string;
  /** The parcel's latest known status, or null when the provider knows nothing (yet) about it. */
  latestStatus(carrier: string, trackingNumber: string): Promise<TrackingUpdate | null>;
}

/** Used when no tracking provider is configured: polling learns nothing, so silent parcels are reported as stalled. */
export class NoCarrierTracking implements CarrierTracking {
  readonly name = 'none';
  async latestStatus(): Promise<TrackingUpdate | null> {
    return null;
  }
}
