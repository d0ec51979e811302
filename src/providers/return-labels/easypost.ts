/**
 * Prepaid return labels through EasyPost's Shipments API, with the official SDK (`@easypost/api`).
 *
 * A return is a Shipment created with `is_return: true` and the addresses of the original shipment — `to_address` the
 * customer, `from_address` the shop — which EasyPost switches on the label (docs.easypost.com, "Returns"). Creating a
 * shipment costs nothing; buying it (`POST /shipments/:id/buy` with one of its rates) charges the account and fills
 * `postage_label` and `tracking_code`. A shipment holds at most one label.
 *
 * Idempotency: EasyPost's API has no idempotency key (the SDK sends none; `reference` is not unique). The shipment id
 * is the reference we keep (src/db/return-labels.ts): before buying, the shipment is read back, and a label it already
 * has — an earlier attempt whose answer was lost — is answered instead of buying again. A buy refused because another
 * attempt bought the same shipment meanwhile is answered the same way.
 */
import type { PostalAddress } from '../../domain/postal-address';
import { ourCarrierCode } from '../carriers/easypost';
import { CarrierError } from '../carriers/types';
import type { ReturnLabel, ReturnLabelProvider, ReturnShipmentRequest } from './types';
import { classifyEasyPostError, easyPostClient, type EasyPost } from '../carriers/easypost-client';

export interface ReturnParcel {
  /** Ounces, as EasyPost measures. */
  weightOz: number;
  /** Inches; all three or none (then the carrier rates by weight). */
  lengthIn?: number;
  widthIn?: number;
  heightIn?: number;
}

export interface EasyPostReturnLabelOptions {
  apiKey: string;
  /** Instead of https://api.easypost.com/v2/: a proxy or a local test server. */
  baseUrl?: string;
  /** Where returns go: the shop's return address (with a phone, which most carriers require). */
  returnAddress: PostalAddress & { phone?: string; email?: string };
  parcel: ReturnParcel;
  /** The shop's carrier accounts (`ca_…`) allowed to carry returns; all of the account's when empty. */
  carrierAccounts?: string[];
  /** Per request, below the activity's start-to-close timeout. */
  timeoutMs?: number;
}

const PROVIDER = 'easypost';

/** The parts of EasyPost's Shipment object we read (the SDK's `IShipment`). */
interface EasyPostShipment {
  id: string;
  rates?: { id: string; carrier: string; service: string; rate: string }[];
  selected_rate?: { carrier: string } | null;
  postage_label?: { label_url?: string | null; label_pdf_url?: string | null } | null;
  tracking_code?: string | null;
  tracker?: { public_url?: string | null } | null;
}

export class EasyPostReturnLabels implements ReturnLabelProvider {
  readonly name = PROVIDER;
  private readonly client: EasyPost;

  constructor(private readonly options: EasyPostReturnLabelOptions) {
    this.client = easyPostClient(options.apiKey, options);
  }

  async createReturnShipment({ rmaId, from }: ReturnShipmentRequest): Promise<string> {
    const { weightOz, lengthIn, widthIn, heightIn } = this.options.parcel;
    const { carrierAccounts } = this.options;
    const shipment = await this.call(() =>
      this.client.Shipment.create({
        reference: rmaId,
        is_return: true,
        // The original shipment's addresses: EasyPost switches them on a return label.
        to_address: easyPostAddress(from),
        from_address: easyPostAddress(this.options.returnAddress),
        parcel: {
          weight: weightOz,
          ...(lengthIn && widthIn && heightIn ? { length: lengthIn, width: widthIn, height: heightIn } : {}),
        },
        ...(carrierAccounts?.length ? { carrier_accounts: carrierAccounts } : {}),
      }),
    );
    return shipment.id;
  }

  async buyLabel(shipmentId: string): Promise<ReturnLabel> {
    const shipment = await this.retrieve(shipmentId);
    const label = labelOf(shipment);
    if (label) return label; // bought by an earlier attempt
    const cheapest = [...(shipment.rates ?? [])].sort((a, b) => Number(a.rate) - Number(b.rate))[0];
    if (!cheapest) {
      throw new CarrierError(PROVIDER, 'no_rate', `${PROVIDER}: no carrier account offers a return rate`, false);
    }
    try {
      const bought = labelOf(await this.call(() => this.client.Shipment.buy(shipmentId, cheapest.id)));
      if (!bought)
        throw new CarrierError(PROVIDER, 'no_label', `${PROVIDER} answered the purchase without a label`, true);
      return bought;
    } catch (err) {
      // Another attempt may have bought this very shipment meanwhile (EasyPost refuses a second purchase of it).
      if (err instanceof CarrierError && !err.retryable) {
        const meanwhile = labelOf(await this.retrieve(shipmentId));
        if (meanwhile) return meanwhile;
      }
      throw err;
    }
  }

  private async retrieve(shipmentId: string): Promise<EasyPostShipment> {
    return this.call(() => this.client.Shipment.retrieve(shipmentId));
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw classifyEasyPostError(err, { keepCode: true }) ?? err;
    }
  }
}

function easyPostAddress(a: PostalAddress & { phone?: string; email?: string }) {
  return {
    ...(a.name ? { name: a.name } : {}),
    ...(a.company ? { company: a.company } : {}),
    street1: a.street1,
    ...(a.street2 ? { street2: a.street2 } : {}),
    city: a.city,
    ...(a.state ? { state: a.state } : {}),
    zip: a.zip,
    country: a.country,
    ...(a.phone ? { phone: a.phone } : {}),
    ...(a.email ? { email: a.email } : {}),
  };
}

/** The shipment's label, once it has one. */
function labelOf(shipment: EasyPostShipment): ReturnLabel | undefined {
  const labelUrl = shipment.postage_label?.label_pdf_url ?? shipment.postage_label?.label_url;
  if (!labelUrl || !shipment.tracking_code) return undefined;
  return {
    shipmentId: shipment.id,
    carrier: ourCarrierCode(shipment.selected_rate?.carrier),
    trackingNumber: shipment.tracking_code,
    labelUrl,
    ...(shipment.tracker?.public_url ? { trackingUrl: shipment.tracker.public_url } : {}),
  };
}
