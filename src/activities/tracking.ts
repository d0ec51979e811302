/**
 * The tracking provider's side of a parcel: following it from the start (webhooks), and asking about it when it went
 * quiet.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { TrackingUpdate } from '../domain/tracking-status';
import { CarrierError, type CarrierTracking } from '../providers/carriers/types';

export interface TrackingDeps {
  carriers: CarrierTracking;
}

export interface TrackerRegistration {
  /** False when the configured provider does not follow parcels (none configured, or polling only). */
  registered: boolean;
  provider: string;
  /** False when no provider can answer for this carrier: the journey does not poll for the parcel. */
  pollable: boolean;
}

export function createTrackingActivities({ carriers }: TrackingDeps) {
  return {
    /** Errors (carrier down, rate limited) are retried with backoff by the activity's retry policy. */
    async pollCarrier(input: { carrier: string; trackingNumber: string }): Promise<TrackingUpdate | null> {
      return carriers.latestStatus(input.carrier, input.trackingNumber);
    },

    /**
     * Asks the tracking provider to follow a new parcel, so its webhooks report the parcel's progress. Idempotent. A
     * final refusal (an unknown tracking number, a bad key) fails without retries: polling remains the fallback.
     */
    async registerTracker(input: { carrier: string; trackingNumber: string }): Promise<TrackerRegistration> {
      const pollable = carriers.canTrack?.(input.carrier) ?? true;
      if (!carriers.registerTracker || !pollable) return { registered: false, provider: carriers.name, pollable };
      try {
        await carriers.registerTracker(input.carrier, input.trackingNumber);
        return { registered: true, provider: carriers.name, pollable };
      } catch (err) {
        if (err instanceof CarrierError && !err.retryable) {
          throw ApplicationFailure.nonRetryable(
            `${err.provider} refused to track the parcel (${err.code}): ${err.message}`,
            'CarrierRefused',
          );
        }
        if (err instanceof CarrierError) throw ApplicationFailure.retryable(err.message, 'CarrierUnavailable');
        throw err;
      }
    },
  };
}
