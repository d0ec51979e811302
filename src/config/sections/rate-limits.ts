/**
 * Provider quotas, enforced by the Temporal server for the email and SMS task queues (`<taskQueue>-email`, `-sms`) as
 * `maxTaskQueueActivitiesPerSecond`. Unset: no limit.
 */
import { perSecond } from '../values';
import { defineSection } from '../section';

export interface RateLimits {
  emailPerSecond?: number;
  smsPerSecond?: number;
}

export const rateLimitsSection = defineSection({
  variables: {
    EMAIL_MAX_PER_SECOND: perSecond.optional(),
    SMS_MAX_PER_SECOND: perSecond.optional(),
  },
  read: (e): RateLimits => ({ emailPerSecond: e.EMAIL_MAX_PER_SECOND, smsPerSecond: e.SMS_MAX_PER_SECOND }),
});
