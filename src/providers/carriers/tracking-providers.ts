/**
 * The carrier-tracking providers the service knows, by the name used in CARRIER_TRACKING_PROVIDER,
 * CARRIER_TRACKING_BY_CARRIER, the variables' prefix and the webhook path. Adding one: README, "Add a carrier tracking
 * provider".
 */
import { z } from 'zod';
import { AfterShipTracking } from './aftership';
import { EasyPostTracking } from './easypost';
import {
  defineCarrierTrackingProvider,
  type CarrierTrackingSettings,
  type TrackingProviderName,
} from './tracking-provider';

/** Provider endpoints: "localhost:8080" parses as a URL with scheme "localhost:", so insist on http(s). */
const baseUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional();
const secret = z.string().min(1).optional();
const apiKey = z.string().min(1);

export const CARRIER_TRACKING_PROVIDERS = {
  easypost: defineCarrierTrackingProvider({
    label: 'EasyPost',
    // webhookSecret: EasyPost → Webhooks → the secret it signs X-Hmac-Signature with. baseUrl: instead of
    // https://api.easypost.com/v2/ (a proxy, a test server).
    options: z.object({ apiKey, webhookSecret: secret, baseUrl }),
    create: (options) => new EasyPostTracking(options),
    webhook: { signatureHeader: 'X-Hmac-Signature', secretOption: 'webhookSecret' },
  }),
  aftership: defineCarrierTrackingProvider({
    label: 'AfterShip',
    // webhookSecret: AfterShip → Notifications → Webhooks, the secret of aftership-hmac-sha256. baseUrl: instead of
    // https://api.aftership.com.
    options: z.object({ apiKey, webhookSecret: secret, baseUrl }),
    create: (options) => new AfterShipTracking(options),
    webhook: { signatureHeader: 'aftership-hmac-sha256', secretOption: 'webhookSecret' },
  }),
};

export type CarrierTrackingProviderTable = typeof CARRIER_TRACKING_PROVIDERS;
export type CarrierTrackingProviderName = TrackingProviderName<CarrierTrackingProviderTable>;
/** `Config['carrierTracking']`. */
export type CarrierTrackingConfig = CarrierTrackingSettings<CarrierTrackingProviderTable>;
