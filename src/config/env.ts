/**
 * The environment schema: every section's variables in one zod object, and the rules across them. A new concern (a
 * provider, a way into the codec server…) is a file in sections/ listed in `configSections`, and its part in `Config`
 * (src/config/index.ts).
 */
import { z } from 'zod';
import type { CarrierTrackingTable } from '../providers/carriers/tracking-provider';
import { CARRIER_TRACKING_PROVIDERS } from '../providers/carriers/tracking-providers';
import type { ConfigSection } from './section';
import { apiKeysSection } from './sections/api-keys';
import { carrierTrackingSection } from './sections/carrier-tracking';
import { codecSection } from './sections/codec';
import { failoverSection } from './sections/failover';
import { observabilitySection } from './sections/observability';
import { rateLimitsSection } from './sections/rate-limits';
import { resendSection } from './sections/resend';
import { returnLabelsSection } from './sections/return-labels';
import { sendGridSection } from './sections/sendgrid';
import { serviceSection } from './sections/service';
import { shopSection } from './sections/shop';
import { temporalSection } from './sections/temporal';
import { twilioSection } from './sections/twilio';
import { unsubscribeSection } from './sections/unsubscribe';
import { vonageSection } from './sections/vonage';

/** The sections in the order their problems are reported. `table`: the carrier-tracking providers. */
export function configSections<Table extends CarrierTrackingTable>(table: Table) {
  return {
    service: serviceSection,
    temporal: temporalSection,
    codec: codecSection,
    apiKeys: apiKeysSection,
    shop: shopSection,
    unsubscribe: unsubscribeSection,
    sendgrid: sendGridSection,
    twilio: twilioSection,
    resend: resendSection,
    vonage: vonageSection,
    failover: failoverSection,
    rateLimits: rateLimitsSection,
    carrierTracking: carrierTrackingSection(table),
    returnLabels: returnLabelsSection,
    observability: observabilitySection,
  };
}

export function environmentSchema(sections: Record<string, ConfigSection<unknown>>) {
  const all = Object.values(sections);
  return z.object(Object.assign({}, ...all.map((s) => s.variables)) as z.ZodRawShape).superRefine((env, ctx) => {
    for (const section of all) {
      section.check(env, (variable, message) => ctx.addIssue({ code: 'custom', path: [variable], message }));
    }
  });
}

/** Every environment variable the config reads: compose files and deploy manifests are checked against this list. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(
  environmentSchema(configSections(CARRIER_TRACKING_PROVIDERS)).shape,
);
