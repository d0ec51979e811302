/** Public tracking pages by carrier, for the "shipped" message's link when fulfilment sends none. */
const TRACKING_PAGES: Record<string, (trackingNumber: string) => string> = {
  ups: (n) => `https://www.ups.com/track?tracknum=${n}`,
  usps: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  fedex: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  dhl: (n) => `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${n}`,
  dpd: (n) => `https://tracking.dpd.de/status/en_US/parcel/${n}`,
  omniva: (n) => `https://www.omniva.lv/private/track_and_trace?barcode=${n}`,
};

export function trackingUrl(carrier: string, trackingNumber: string): string | undefined {
  return TRACKING_PAGES[carrier.toLowerCase()]?.(encodeURIComponent(trackingNumber));
}
