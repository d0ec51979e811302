/** Every activity the journey workflows call, built from their dependencies. Workflows import only the type. */
import { createLifecycleActivities } from './lifecycle';
import { createMarketingActivities, type MarketingDeps } from './marketing';
import { createNotifyActivities, type NotifyDeps } from './notify';
import { createReturnLabelActivities, type ReturnLabelDeps } from './return-labels';
import { createSupportActivities, type SupportDeps } from './support';
import { createTrackingActivities, type TrackingDeps } from './tracking';

export type ActivityDeps = NotifyDeps & SupportDeps & TrackingDeps & MarketingDeps & ReturnLabelDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createNotifyActivities(deps),
    ...createMarketingActivities(deps),
    ...createSupportActivities(deps),
    ...createTrackingActivities(deps),
    ...createLifecycleActivities(),
    ...createReturnLabelActivities(deps),
  };
}

export type JourneyActivities = ReturnType<typeof createActivities>;
export type { MessageOutcome, SendCustomerMessageInput, UndeliverableInput } from './notify';
export type { ReturnLabelInput, ReturnLabelOutcome } from './return-labels';
export type { MarketingSlot, MarketingSlotInput, QuietHoursAnswer, QuietHoursQuestion } from './marketing';
