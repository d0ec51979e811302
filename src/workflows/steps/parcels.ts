/**
 * Step 2 — delivery status. Fulfilment registers parcels (an update, so a cancelled order can refuse them); carriers
 * report progress (a signal, from the API, webhooks or polling). One loop tells the customer about each meaningful
 * change once, escalates problems to support, asks the carrier about parcels that went quiet, and reports stalls.
 */
import { condition, patched, setHandler } from '@temporalio/workflow';
import { customerMessageFor, isFinal, judgeUpdate, PROBLEM_STATUSES, type TrackingUpdate } from '../../domain/tracking-status';
import { trackingUrl } from '../../domain/carriers';
import { carrierPolling, trackerRegistration } from '../activity-stubs';
import { isoNow as now } from '../clock';
import { addShipmentUpdate, trackingEventSignal, type NewShipment } from '../definitions';
import { Journey } from '../journey';
import type { ShipmentView } from '../journey-state';
import { itemRefs, orderRef, sendToCustomer } from '../send';
import { escalate } from './escalations';
import { settleReturnParcel } from './returns';

/** Something happened to a parcel that the customer or support may need to hear about. */
interface ParcelNews {
  shipmentId: string;
  news: 'registered' | TrackingUpdate['status'];
}

const newsFor = new WeakMap<Journey, ParcelNews[]>();
const inbox = (journey: Journey) => newsFor.get(journey) ?? newsFor.set(journey, []).get(journey)!;

export function registerParcelHandlers(journey: Journey): void {
  setHandler(
    addShipmentUpdate,
    (shipment) => {
      const existing = journey.view.shipments.find((s) => sameParcel(s, shipment));
      if (existing) return { shipmentId: existing.shipmentId, created: false };
      const registered = registerParcel(journey, shipment);
      return { shipmentId: registered.shipmentId, created: true };
    },
    { validator: (shipment) => validateShipment(journey, shipment) },
  );

  setHandler(trackingEventSignal, (event) => {
    const parcel = journey.view.shipments.find((s) => s.trackingNumber === event.trackingNumber);
    if (!parcel) {
      journey.record(`carrier update for unknown parcel ${event.trackingNumber} ignored`);
      return;
    }
    applyUpdate(journey, parcel, event);
  });
}

function sameParcel(s: ShipmentView, shipment: NewShipment): boolean {
  return s.trackingNumber === shipment.trackingNumber && s.carrier === shipment.carrier.toLowerCase();
}

/** Runs before anything is recorded: a refusal goes back to the caller and leaves no trace in history. */
function validateShipment(journey: Journey, shipment: NewShipment): void {
  if (journey.view.cancellation) throw new Error('the order was cancelled; nothing can ship');
  if (journey.view.shipments.some((s) => s.trackingNumber === shipment.trackingNumber && !sameParcel(s, shipment))) {
    throw new Error(`tracking number ${shipment.trackingNumber} is already registered with another carrier`);
  }
  if (journey.view.shipments.some((s) => sameParcel(s, shipment))) return; // a repeat: answered with the same parcel
  const bought = journey.bought();
  for (const line of shipment.items) {
    if (bought[line.sku] === undefined) throw new Error(`item ${line.sku} is not part of this order`);
    if (line.quantity > bought[line.sku]!) throw new Error(`item ${line.sku}: ${line.quantity} in the parcel but only ${bought[line.sku]} bought`);
  }
  if (shipment.rmaId) {
    const rma = journey.view.returns.find((r) => r.rmaId === shipment.rmaId);
    if (!rma) throw new Error(`no return ${shipment.rmaId} on this order`);
    if (rma.status !== 'awaiting_parcel') throw new Error(`return ${shipment.rmaId} is ${rma.status.replace(/_/g, ' ')}`);
  }
}

function registerParcel(journey: Journey, shipment: NewShipment): ShipmentView {
  const direction = shipment.rmaId ? 'return' : 'outbound';
  const parcel: ShipmentView = {
    shipmentId: `${direction === 'return' ? 'R' : 'S'}${journey.view.shipments.length + 1}`,
    direction,
    ...(shipment.rmaId ? { rmaId: shipment.rmaId } : {}),
    carrier: shipment.carrier.toLowerCase(),
    trackingNumber: shipment.trackingNumber,
    trackingUrl: shipment.trackingUrl ?? trackingUrl(shipment.carrier, shipment.trackingNumber),
    items: shipment.items,
    status: 'registered',
    statusAt: null,
    registeredAt: now(),
    lastProgressAt: now(),
    lastCheckedAt: null,
    seenEventIds: [],
    ignoredUpdates: 0,
    stalled: false,
  };
  journey.view.shipments.push(parcel);
  journey.record(`${direction === 'return' ? `return parcel for ${shipment.rmaId}` : 'parcel'} ${parcel.shipmentId} registered with ${parcel.carrier.toUpperCase()} (${parcel.trackingNumber})`);
  if (direction === 'outbound') {
    inbox(journey).push({ shipmentId: parcel.shipmentId, news: 'registered' });
    if (journey.view.stage === 'awaiting_shipment' || journey.view.stage === 'confirming') journey.enterStage('in_transit');
    journey.refreshShipmentStatus();
  } else if (patched('register-tracker')) {
    inbox(journey).push({ shipmentId: parcel.shipmentId, news: 'registered' }); // so its tracker is registered too
  }
  return parcel;
}

/** Applies a carrier update if it moves the parcel on; repeats and older news are counted and dropped. */
function applyUpdate(journey: Journey, parcel: ShipmentView, update: TrackingUpdate): boolean {
  const verdict = judgeUpdate(parcel, update);
  if (update.eventId && !parcel.seenEventIds.includes(update.eventId)) parcel.seenEventIds = [...parcel.seenEventIds.slice(-49), update.eventId];
  if (verdict !== 'apply') {
    parcel.ignoredUpdates += 1;
    return false;
  }
  parcel.status = update.status;
  parcel.statusAt = update.occurredAt;
  parcel.lastProgressAt = now();
  parcel.stalled = false;
  journey.record(`parcel ${parcel.shipmentId}: ${update.status.replace(/_/g, ' ')}`);
  inbox(journey).push({ shipmentId: parcel.shipmentId, news: update.status });
  if (parcel.direction === 'outbound') journey.refreshShipmentStatus();
  return true;
}

/** The parcels' loop: runs from the first parcel to the end of the journey. */
export async function followParcels(journey: Journey): Promise<void> {
  const news = inbox(journey);
  while (!journey.finished) {
    while (news.length) await respond(journey, news.shift()!);
    const quiet = nextQuietParcel(journey);
    for (const parcel of journey.view.shipments) if (parcel !== quiet?.parcel) journey.unplan(`check:${parcel.shipmentId}`);
    if (quiet) journey.planStep(`check:${quiet.parcel.shipmentId}`, `ask the carrier about parcel ${quiet.parcel.shipmentId}`, quiet.at);
    const somethingToDo = () => news.length > 0 || journey.finished;
    let quietTooLong = false;
    if (!quiet) await condition(somethingToDo);
    else {
      const waitMs = Journey.msUntil(quiet.at);
      quietTooLong = waitMs === 0 || !(await condition(somethingToDo, waitMs, { summary: `parcel ${quiet.parcel.shipmentId} quiet: check with carrier` }));
    }
    if (quietTooLong && quiet && !journey.finished) {
      journey.unplan(`check:${quiet.parcel.shipmentId}`);
      await checkWithCarrier(journey, quiet.parcel);
    }
  }
  for (const parcel of journey.view.shipments) journey.unplan(`check:${parcel.shipmentId}`);
}

/** The parcel that has been quiet the longest and is due a check: quiet for a poll interval since progress or the last check. */
function nextQuietParcel(journey: Journey): { parcel: ShipmentView; at: string } | undefined {
  const interval = journey.days(journey.policy.trackingPollIntervalDays);
  const candidates = journey.view.shipments
    .filter((p) => !isFinal(p.status))
    .map((p) => {
      const since = p.lastCheckedAt && p.lastCheckedAt > p.lastProgressAt ? p.lastCheckedAt : p.lastProgressAt;
      return { parcel: p, at: Journey.after(since, interval) };
    });
  return candidates.sort((a, b) => a.at.localeCompare(b.at))[0];
}

async function checkWithCarrier(journey: Journey, parcel: ShipmentView): Promise<void> {
  let latest: TrackingUpdate | null = null;
  try {
    latest = await carrierPolling.pollCarrier.executeWithOptions({ summary: `ask ${parcel.carrier.toUpperCase()} about ${parcel.shipmentId}` }, [
      { carrier: parcel.carrier, trackingNumber: parcel.trackingNumber },
    ]);
  } catch {
    journey.record(`carrier ${parcel.carrier.toUpperCase()} did not answer about parcel ${parcel.shipmentId}`);
  }
  parcel.lastCheckedAt = now();
  const progressed = latest !== null && applyUpdate(journey, parcel, latest);
  if (!progressed && !parcel.stalled) {
    const quietFor = Date.parse(now()) - Date.parse(parcel.lastProgressAt);
    if (quietFor >= journey.days(journey.policy.stalledAfterDays)) await reportStall(journey, parcel);
  }
}

async function reportStall(journey: Journey, parcel: ShipmentView): Promise<void> {
  parcel.stalled = true;
  journey.record(`parcel ${parcel.shipmentId} stalled: no progress for ${journey.policy.stalledAfterDays} days`);
  await escalate(journey, `parcel:${parcel.trackingNumber}:stalled`, 'tracking_stalled', `Parcel ${parcel.trackingNumber} (${parcel.carrier.toUpperCase()}) has made no progress for ${journey.policy.stalledAfterDays} days`);
  if (parcel.direction === 'outbound') {
    await sendToCustomer(journey, `parcel:${parcel.trackingNumber}:stalled`, { messageType: 'tracking_stalled', data: parcelData(journey, parcel) });
  }
}

function parcelData(journey: Journey, parcel: ShipmentView) {
  return {
    order: orderRef(journey),
    carrier: parcel.carrier,
    trackingNumber: parcel.trackingNumber,
    ...(parcel.trackingUrl ? { trackingUrl: parcel.trackingUrl } : {}),
    items: itemRefs(journey, parcel.items),
  };
}

/** Tells the customer about outbound parcels' meaningful changes, escalates problems, and settles return parcels. */
async function respond(journey: Journey, { shipmentId, news }: ParcelNews): Promise<void> {
  const parcel = journey.view.shipments.find((s) => s.shipmentId === shipmentId)!;
  if (news === 'registered' && patched('register-tracker')) followWithTrackingProvider(journey, parcel);
  if (parcel.direction === 'return') {
    if (news === 'delivered') await settleReturnParcel(journey, parcel);
    return;
  }
  const step = (what: string) => `parcel:${parcel.trackingNumber}:${what}`;
  if (news === 'registered') {
    await sendToCustomer(journey, step('shipped'), { messageType: 'shipped', data: parcelData(journey, parcel) });
    return;
  }
  const messageType = customerMessageFor(news);
  if (PROBLEM_STATUSES.has(news)) {
    await escalate(journey, step(news), 'delivery_problem', `Parcel ${parcel.trackingNumber} (${parcel.carrier.toUpperCase()}): ${news.replace(/_/g, ' ')}`);
    await sendToCustomer(journey, step(news), {
      messageType: 'delivery_problem',
      data: { ...parcelData(journey, parcel), status: news as 'attempt_failed' | 'exception' | 'returned_to_sender' },
    });
  } else if (messageType && messageType !== 'delivery_problem') {
    await sendToCustomer(journey, step(messageType), { messageType, data: parcelData(journey, parcel) });
  }
}

/**
 * Asks the tracking provider to follow the parcel so its webhooks report progress. Runs alongside the journey (the
 * "shipped" message never waits for it); a refusal is recorded and polling stays the fallback.
 */
function followWithTrackingProvider(journey: Journey, parcel: ShipmentView): void {
  trackerRegistration.registerTracker
    .executeWithOptions({ summary: `register ${parcel.shipmentId} with the tracking provider` }, [
      { carrier: parcel.carrier, trackingNumber: parcel.trackingNumber },
    ])
    .catch(() => journey.record(`tracking provider could not follow parcel ${parcel.shipmentId}; polling stays the fallback`));
}
