/** Asking the carrier about a parcel that has gone quiet: the polling fallback behind webhooks. */
import type { TrackingUpdate } from '../domain/tracking-status';
import type { CarrierTracking } from '../providers/carriers/types';

export interface TrackingDeps {
  carriers: CarrierTracking;
}

export function createTrackingActivities({ carriers }: TrackingDeps) {
  return {
    /** Errors (carrier down, rate limited) are retried with backoff by the activity's retry policy. */
    async pollCarrier(input: { carrier: string; trackingNumber: string }): Promise<TrackingUpdate | null> {
      return carriers.latestStatus(input.carrier, input.trackingNumber);
    },
  };
}
