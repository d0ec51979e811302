/** Every activity the journey workflows call, built from their dependencies. Workflows import only the type. */
import { createNotifyActivities, type NotifyDeps } from './notify';
import { createSupportActivities, type SupportDeps } from './support';
import { createTrackingActivities, type TrackingDeps } from './tracking';

export type ActivityDeps = NotifyDeps & SupportDeps & TrackingDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createNotifyActivities(deps),
    ...createSupportActivities(deps),
    ...createTrackingActivities(deps),
  };
}

export type JourneyActivities = ReturnType<typeof createActivities>;
export type { MessageOutcome, SendCustomerMessageInput } from './notify';
