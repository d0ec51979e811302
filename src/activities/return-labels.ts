/**
 * Buying the prepaid return label of an accepted return, at most once per RMA.
 *
 * The RMA's row in `return_labels` is claimed first; a label bought or a refusal recorded before is answered as it was.
 * The provider's shipment is created once and its id noted before the purchase, so a retry — after a timeout whose
 * purchase went through at the provider, or a worker that died mid-call — asks the provider about that shipment
 * instead of buying another (src/providers/return-labels/easypost.ts). Retryable failures (5xx, 429, network,
 * timeouts) go back to Temporal's retry policy; a final refusal is recorded and answered, not thrown, so the journey
 * tells support and sends the plain instructions.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ReturnLabels } from '../db/return-labels';
import type { PostalAddress } from '../domain/postal-address';
import { CarrierError } from '../providers/carriers/types';
import type { ReturnLabelProvider } from '../providers/return-labels/types';

export interface ReturnLabelDeps {
  /** Unset: no label provider configured; every return gets the plain instructions. */
  returnLabels?: { provider: ReturnLabelProvider; records: ReturnLabels };
}

export interface ReturnLabelInput {
  journeyId: string;
  orderId: string;
  rmaId: string;
  /** Where the parcel comes from (the order's shipping address); absent when checkout sent none. */
  address?: PostalAddress & { phone?: string; email?: string };
}

export type ReturnLabelOutcome =
  | { status: 'not_configured' }
  | { status: 'no_address' }
  | { status: 'refused'; provider: string; code: string }
  | {
      status: 'bought';
      provider: string;
      shipmentId: string;
      carrier: string;
      trackingNumber: string;
      labelUrl: string;
      trackingUrl?: string;
    };

export function createReturnLabelActivities({ returnLabels }: ReturnLabelDeps) {
  return {
    async buyReturnLabel({ journeyId, orderId, rmaId, address }: ReturnLabelInput): Promise<ReturnLabelOutcome> {
      if (!returnLabels) return { status: 'not_configured' };
      if (!address) return { status: 'no_address' };
      const { provider, records } = returnLabels;
      const record = await records.start({ rmaId, journeyId, orderId, provider: provider.name });
      if (record.status === 'bought') {
        return {
          status: 'bought',
          provider: record.provider,
          shipmentId: record.shipmentId!,
          carrier: record.carrier!,
          trackingNumber: record.trackingNumber!,
          labelUrl: record.labelUrl!,
          ...(record.trackingUrl ? { trackingUrl: record.trackingUrl } : {}),
        };
      }
      if (record.status === 'refused')
        return { status: 'refused', provider: record.provider, code: record.refusalCode! };
      try {
        const shipmentId =
          record.shipmentId ??
          (await records.noteShipment(rmaId, await provider.createReturnShipment({ rmaId, from: address })));
        const label = await provider.buyLabel(shipmentId);
        await records.bought(rmaId, label);
        return { status: 'bought', provider: provider.name, ...label };
      } catch (err) {
        if (err instanceof CarrierError && !err.retryable) {
          await records.refused(rmaId, err.code, err.message);
          return { status: 'refused', provider: provider.name, code: err.code };
        }
        if (err instanceof CarrierError) throw ApplicationFailure.retryable(err.message, 'ReturnLabelUnavailable');
        throw err;
      }
    },
  };
}
