/**
 * Step 6a' — the prepaid return label of an accepted return, bought before its "return accepted" message so that the
 * message carries the label and the return's tracking number. Once bought, the return parcel is registered from the
 * journey's own state and tracked like any parcel. Without a label — no provider configured, no shipping address, a
 * refusal, the provider down past the activity's window — the customer gets the plain instructions; a refusal or a
 * failure also goes to support. Never throws.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { ReturnLabelOutcome } from '../../activities';
import { returnLabels } from '../activity-stubs';
import type { Journey } from '../journey';
import type { ReturnView } from '../journey-state';
import { failureReason } from '../send';
import { escalate } from './escalations';
import { registerReturnParcel } from './parcels';

/**
 * Since this patch an accepted return asks for a prepaid label before its message (one more activity per return).
 * Returns of histories from before announce without it, as they did.
 */
export const RETURN_LABELS_PATCH = 'return-labels';

/** What the "return accepted" message shows of a bought label. */
export interface LabelForMessage {
  url: string;
  carrier: string;
  trackingNumber: string;
}

export async function returnLabelFor(journey: Journey, rma: ReturnView): Promise<LabelForMessage | undefined> {
  const { order } = journey;
  let outcome: ReturnLabelOutcome;
  try {
    outcome = await returnLabels.buyReturnLabel.executeWithOptions({ summary: `buy return label for ${rma.rmaId}` }, [
      {
        journeyId: workflowInfo().workflowId,
        orderId: order.orderId,
        rmaId: rma.rmaId,
        ...(order.shippingAddress
          ? {
              address: {
                ...order.shippingAddress,
                name: order.shippingAddress.name ?? order.name,
                ...(order.phone ? { phone: order.phone } : {}),
                email: order.email,
              },
            }
          : {}),
      },
    ]);
  } catch (err) {
    journey.noteReturnLabel(rma, { status: 'failed' });
    journey.record(`return label for ${rma.rmaId} not bought (${failureReason(err)}): plain instructions instead`);
    await escalate(
      journey,
      `return:${rma.rmaId}:label`,
      'return_label_failed',
      `No return label for ${rma.rmaId}: the label provider did not answer for 2 hours (a purchase may have gone through: see return_labels). The customer got the plain instructions`,
    );
    return undefined;
  }
  switch (outcome.status) {
    case 'not_configured':
    case 'no_address':
      journey.noteReturnLabel(rma, { status: outcome.status });
      journey.record(
        `return ${rma.rmaId}: plain instructions (${outcome.status === 'no_address' ? 'no shipping address on the order' : 'no return label provider'})`,
      );
      return undefined;
    case 'refused':
      journey.noteReturnLabel(rma, { status: 'refused' });
      journey.record(`return label for ${rma.rmaId} refused by ${outcome.provider} (${outcome.code})`);
      await escalate(
        journey,
        `return:${rma.rmaId}:label`,
        'return_label_refused',
        `${outcome.provider} refused the return label for ${rma.rmaId} (${outcome.code}): the customer got the plain instructions`,
      );
      return undefined;
    case 'bought': {
      const { carrier, trackingNumber, labelUrl, trackingUrl } = outcome;
      journey.noteReturnLabel(rma, { status: 'bought', carrier, trackingNumber });
      journey.record(`return label for ${rma.rmaId} bought: ${carrier.toUpperCase()} ${trackingNumber}`);
      registerReturnParcel(journey, {
        carrier,
        trackingNumber,
        ...(trackingUrl ? { trackingUrl } : {}),
        items: rma.items,
        rmaId: rma.rmaId,
      });
      return { url: labelUrl, carrier, trackingNumber };
    }
  }
}
