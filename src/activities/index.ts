/** Every activity the journey workflows call, built from their dependencies. Workflows import only the type. */
import { createLifecycleActivities } from './lifecycle';
import { createMarketingActivities, type MarketingDeps } from './marketing';
import { createNotifyActivities, type NotifyDeps } from './notify';
import { createSupportActivities, type SupportDeps } from './support';
import { createTrackingActivities, type TrackingDeps } from './tracking';

export type ActivityDeps = NotifyDeps & SupportDeps & TrackingDeps & MarketingDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createNotifyActivities(deps),
    ...createMarketingActivities(deps),
    ...createSupportActivities(deps),
    ...createTrackingActivities(deps),
    ...createLifecycleActivities(),
  };
}

export type JourneyActivities = ReturnType<typeof createActivities>;
export type { MessageOutcome, SendCustomerMessageInput, UndeliverableInput } from './notify';
export type { MarketingSlot, MarketingSlotInput, QuietHoursAnswer, QuietHoursQuestion } from './marketing';
