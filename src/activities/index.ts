/** Every activity the journey workflows call, built from their dependencies. Workflows import only the type. */
import { createNotifyActivities, type NotifyDeps } from './notify';

export type ActivityDeps = NotifyDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createNotifyActivities(deps),
  };
}

export type JourneyActivities = ReturnType<typeof createActivities>;
export type { MessageOutcome, SendCustomerMessageInput } from './notify';
