/** API keys per role (`Authorization: Bearer <key>`), comma-separated in API_KEYS_CHECKOUT / API_KEYS_SUPPORT. */
import { csv } from '../values';
import { defineSection } from '../section';

export type Role = 'checkout' | 'support';

/** Keys that start and stop the dev stack on a laptop; refused in production. */
export const DEV_API_KEYS = { checkout: 'dev-checkout-key', support: 'dev-support-key' } as const;

export const apiKeysSection = defineSection({
  variables: {
    API_KEYS_CHECKOUT: csv.optional(),
    API_KEYS_SUPPORT: csv.optional(),
  },
  check(e, report) {
    if (e.NODE_ENV !== 'production') return;
    for (const n of ['API_KEYS_CHECKOUT', 'API_KEYS_SUPPORT'] as const) {
      if (!e[n]?.length) report(n, 'is required in production');
      if (e[n]?.some((k) => (Object.values(DEV_API_KEYS) as string[]).includes(k))) {
        report(n, 'must not use the published dev keys in production');
      }
    }
  },
  read: (e): Record<Role, string[]> => {
    const isProduction = e.NODE_ENV === 'production';
    return {
      checkout: e.API_KEYS_CHECKOUT ?? (isProduction ? [] : [DEV_API_KEYS.checkout]),
      support: e.API_KEYS_SUPPORT ?? (isProduction ? [] : [DEV_API_KEYS.support]),
    };
  },
});
