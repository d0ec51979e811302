/**
 * Where a customer may be, for quiet hours: as given by whoever started the journey or chain, else worked out here.
 *
 * Working it out needs libphonenumber-js and countries-and-timezones (about 400 KB of code and tables). The SDK
 * instantiates every module a workflow imports once per workflow it keeps in its cache, so importing them cost each
 * parked journey its own copy of those tables. Since the starter passes the zones in (JourneyInput.zones,
 * ReplenishmentContact.zones), only journeys and chains started before load the module, on demand, and compute exactly
 * what they computed before (their histories replay unchanged).
 */
import type { RecipientZones } from '../domain/recipient-zones';

export function zonesOf(
  who: { timeZone?: string; shippingCountry?: string; phone?: string },
  given: RecipientZones | undefined,
): RecipientZones {
  if (given) return given;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, only by older journeys (above)
  const { recipientZones } = require('../domain/recipient-zones') as typeof import('../domain/recipient-zones');
  return recipientZones(who);
}
