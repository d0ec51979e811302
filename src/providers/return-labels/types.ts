/** What the journey needs from a return-label provider (EasyPost): a prepaid label for a parcel coming back to us. */
import type { PostalAddress } from '../../domain/postal-address';

export interface ReturnShipmentRequest {
  /** Our RMA id: the shipment's reference at the provider, so people can find it there. */
  rmaId: string;
  /** Where the parcel comes from: the customer's address (the order's shipping address). */
  from: PostalAddress & { phone?: string; email?: string };
}

export interface ReturnLabel {
  /** The provider's shipment: what a retry asks about. */
  shipmentId: string;
  /** Our carrier code (lowercase, e.g. "usps"), as parcels are registered. */
  carrier: string;
  trackingNumber: string;
  /** The label to print (PDF or image), as the provider hosts it. */
  labelUrl: string;
  /** The carrier's or provider's public tracking page, when it gives one. */
  trackingUrl?: string;
}

export interface ReturnLabelProvider {
  readonly name: string;
  /** Creates the return shipment at the provider; nothing is bought (or charged) yet. Answers its id. */
  createReturnShipment(request: ReturnShipmentRequest): Promise<string>;
  /**
   * Buys the shipment's label at the cheapest rate the shop's accounts offer, or — when it has been bought already (an
   * earlier attempt whose answer was lost) — answers that label without buying again. Throws CarrierError: retryable
   * (5xx, 429, network, timeout) or final (e.g. an address the carrier refuses, no rate for the route).
   */
  buyLabel(shipmentId: string): Promise<ReturnLabel>;
}
