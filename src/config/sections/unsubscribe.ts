/** One-click unsubscribe links in marketing email (src/domain/unsubscribe-token.ts). */
import { z } from 'zod';
import { defineSection } from '../section';

/** Signs unsubscribe links on laptops and in tests; refused in production (anyone could forge links with it). */
export const DEV_UNSUBSCRIBE_SECRET = 'order-journeys-dev-unsubscribe-secret';

export interface UnsubscribeConfig {
  /** HMAC-SHA256 key the links' tokens are signed with. */
  secret: string;
  /** How long a link works after the email was sent. */
  tokenTtlDays: number;
  /** Optional mailbox for List-Unsubscribe's mailto: entry. */
  mailto?: string;
}

export const unsubscribeSection = defineSection({
  variables: {
    UNSUBSCRIBE_SECRET: z.string().min(32, 'must be at least 32 characters (a random secret)').optional(),
    UNSUBSCRIBE_TOKEN_TTL_DAYS: z.coerce
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1)
      .max(365)
      .default(60),
    UNSUBSCRIBE_MAILTO: z.email().optional(),
  },
  check(e, report) {
    if (e.NODE_ENV !== 'production') return;
    if (!e.UNSUBSCRIBE_SECRET) report('UNSUBSCRIBE_SECRET', 'is required in production');
    else if (e.UNSUBSCRIBE_SECRET === DEV_UNSUBSCRIBE_SECRET) {
      report('UNSUBSCRIBE_SECRET', 'must not use the published dev secret in production');
    }
  },
  read: (e): UnsubscribeConfig => ({
    secret: e.UNSUBSCRIBE_SECRET ?? DEV_UNSUBSCRIBE_SECRET,
    tokenTtlDays: e.UNSUBSCRIBE_TOKEN_TTL_DAYS,
    mailto: e.UNSUBSCRIBE_MAILTO,
  }),
});
