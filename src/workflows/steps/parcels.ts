/**
 * Step 2 — delivery status. Fulfilment registers parcels (an update, so a cancelled order can refuse them); carriers
 * report progress (a signal, from the API, webhooks or polling). One loop tells the customer about each meaningful
 * change once, escalates problems to support, asks the carrier about parcels that went quiet, and reports stalls.
 */
import { CancellationScope, condition, isCancellation, setHandler } from '@temporalio/workflow';
import { sincePatch } from '../patches';
import {
  customerMessageFor,
  isFinal,
  judgeUpdate,
  PROBLEM_STATUSES,
  type TrackingUpdate,
} from '../../domain/tracking-status';
import { trackingUrl } from '../../domain/carriers';
import { carrierPolling, trackerRegistration } from '../activity-stubs';
import { daysToMs, dueAfterDays, latestOf, msBetween } from '../../domain/durations';
import { isoNow as now, msUntil } from '../clock';
import { addShipmentUpdate, trackingEventSignal, type NewShipment } from '../definitions';
import { Journey } from '../journey';
import type { ParcelNews, ShipmentView } from '../journey-state';
import { itemRefs, orderRef, sendToCustomer } from '../send';
import { escalate } from './escalations';
import { settleReturnParcel } from './refunds';

/**
 * Since this patch: news is answered in parallel (a message waiting for quiet hours or retrying never holds up another
 * parcel's news), nobody polls for a carrier no provider can answer for, a stalled parcel is not checked again until it
 * moves, and a check that ran late (the journey itself was held up by an outage) does not judge a stall.
 */
export const PARCEL_NEWS_PATCH = 'parcel-news-in-parallel-bounded-checks';

/**
 * Since this patch a carrier check runs beside the news instead of in front of it, and the loop answers every piece of
 * news before it ends. Before, a poll the carrier kept failing (retried for up to 12 hours), or one lost with a killed
 * worker (a minute's timeout, then a minute's backoff), held back every later message of the order: "out for delivery"
 * went out after the parcel had arrived, and when the journey ended meanwhile the news was never answered at all.
 * A check still running when the loop stops is cancelled: the journey neither waits hours for it to close nor hands
 * it over (the next run checks again). So is a tracker registration still being retried (up to six hours while the
 * provider is down), which held a handover, and the news queued behind it; the next run registers the parcel again.
 */
export const CHECKS_BESIDE_NEWS_PATCH = 'carrier-checks-beside-parcel-news';

export function registerParcelHandlers(journey: Journey): void {
  setHandler(
    addShipmentUpdate,
    (shipment) => {
      const existing = journey.view.shipments.find((s) => sameParcel(s, shipment));
      if (existing) return { shipmentId: existing.shipmentId, created: false };
      const registered = registerParcel(journey, shipment);
      return { shipmentId: registered.shipmentId, created: true };
    },
    { validator: (shipment: NewShipment) => validateShipment(journey, shipment) },
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

/**
 * A return parcel the journey knows of itself (it bought the label): registered as fulfilment would register it, so it
 * is tracked like any other. A parcel the rules refuse (the most parcels an order has) is left out, and recorded.
 */
export function registerReturnParcel(journey: Journey, shipment: NewShipment & { rmaId: string }): void {
  if (journey.view.shipments.some((s) => sameParcel(s, shipment))) return;
  try {
    validateShipment(journey, shipment);
  } catch (err) {
    journey.record(`return parcel for ${shipment.rmaId} not registered: ${(err as Error).message}`);
    return;
  }
  registerParcel(journey, shipment);
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
  const maxParcels = journey.policy.maxParcels ?? 20;
  if (journey.view.shipments.length >= maxParcels)
    throw new Error(`the order already has ${maxParcels} parcels, the most one journey follows`);
  const bought = journey.bought();
  // Outbound parcels together never carry more than was bought (return parcels are checked against their RMA).
  const shipped: Record<string, number> = {};
  if (!shipment.rmaId)
    for (const p of journey.outboundShipments())
      for (const l of p.items) shipped[l.sku] = (shipped[l.sku] ?? 0) + l.quantity;
  for (const line of shipment.items) {
    if (bought[line.sku] === undefined) throw new Error(`item ${line.sku} is not part of this order`);
    if (line.quantity > bought[line.sku]!)
      throw new Error(`item ${line.sku}: ${line.quantity} in the parcel but only ${bought[line.sku]} bought`);
    const already = shipped[line.sku] ?? 0;
    if (already + line.quantity > bought[line.sku]!) {
      throw new Error(
        `item ${line.sku}: ${already} already shipped, ${line.quantity} more would exceed the ${bought[line.sku]} bought`,
      );
    }
  }
  if (shipment.rmaId) {
    const rma = journey.view.returns.find((r) => r.rmaId === shipment.rmaId);
    if (!rma) throw new Error(`no return ${shipment.rmaId} on this order`);
    if (rma.status !== 'awaiting_parcel')
      throw new Error(`return ${shipment.rmaId} is ${rma.status.replace(/_/g, ' ')}`);
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
  journey.addParcel(parcel);
  journey.record(
    `${direction === 'return' ? `return parcel for ${shipment.rmaId}` : 'parcel'} ${parcel.shipmentId} registered with ${parcel.carrier.toUpperCase()} (${parcel.trackingNumber})`,
  );
  if (direction === 'outbound') {
    journey.queueParcelNews({ shipmentId: parcel.shipmentId, news: 'registered' });
    if (journey.view.stage === 'awaiting_shipment' || journey.view.stage === 'confirming')
      journey.enterStage('in_transit');
    journey.refreshShipmentStatus();
  } else if (sincePatch('register-tracker')) {
    journey.queueParcelNews({ shipmentId: parcel.shipmentId, news: 'registered' }); // so its tracker is registered too
  }
  return parcel;
}

/** Applies a carrier update if it moves the parcel on; repeats and older news are counted and dropped. */
function applyUpdate(journey: Journey, parcel: ShipmentView, update: TrackingUpdate): boolean {
  const applies = judgeUpdate(parcel, update) === 'apply';
  journey.noteCarrierEvent(parcel, update.eventId, applies);
  if (!applies) return false;
  const occurrence = journey.moveParcel(parcel, update.status, update.occurredAt);
  journey.record(`parcel ${parcel.shipmentId}: ${update.status.replace(/_/g, ' ')}`);
  journey.queueParcelNews({ shipmentId: parcel.shipmentId, news: update.status, occurrence });
  if (parcel.direction === 'outbound') journey.refreshShipmentStatus();
  return true;
}

/**
 * The parcels' loop: runs from the first parcel to the end of the journey. At a handover it stops taking news, lets the
 * answers in flight finish, and leaves the rest of the news for the next run.
 */
export async function followParcels(journey: Journey): Promise<void> {
  const news = journey.parcelNews;
  const parallel = sincePatch(PARCEL_NEWS_PATCH);
  const besideNews = parallel && sincePatch(CHECKS_BESIDE_NEWS_PATCH);
  const answering = new Set<Promise<void>>();
  const inBackground = (work: Promise<void>) => {
    const running: Promise<void> = work.finally(() => answering.delete(running));
    answering.add(running);
  };
  const checks = besideNews ? new CarrierChecks(journey, inBackground) : undefined;
  // Each parcel's news in order (its "shipped" before its "delivered"; none of them waits for quiet hours), parcels
  // side by side.
  const perParcel = new Map<string, Promise<void>>();
  const answer = (item: ParcelNews) => {
    const turn = (perParcel.get(item.shipmentId) ?? Promise.resolve()).then(() =>
      respond(journey, item, checks?.scope),
    );
    perParcel.set(item.shipmentId, turn);
    inBackground(turn);
  };
  if (checks) {
    // Registrations the previous run cancelled at its handover.
    for (const shipmentId of journey.trackersToRegister.splice(0)) {
      const parcel = journey.view.shipments.find((s) => s.shipmentId === shipmentId);
      if (parcel) followWithTrackingProvider(journey, parcel, checks.scope);
    }
  }
  while (!journey.finished && !journey.handingOver) {
    if (parallel) while (news.length) answer(news.shift()!);
    else while (news.length) await respond(journey, news.shift()!);
    const quiet = nextQuietParcel(journey, parallel, checks);
    for (const parcel of journey.view.shipments)
      if (parcel !== quiet?.parcel) journey.unplan(`check:${parcel.shipmentId}`);
    if (quiet)
      journey.planStep(
        `check:${quiet.parcel.shipmentId}`,
        `ask the carrier about parcel ${quiet.parcel.shipmentId}`,
        quiet.at,
      );
    const somethingToDo = () => news.length > 0 || journey.finished || journey.handingOver;
    let quietTooLong = false;
    if (!quiet) {
      // A check that ends plans its parcel's next one. (With a parcel due, its timer comes first: a check that just
      // ended is due again a whole interval later.)
      const checksEnded = checks?.ended ?? 0;
      await condition(() => somethingToDo() || (checks?.ended ?? 0) !== checksEnded);
    } else {
      const waitMs = msUntil(quiet.at);
      quietTooLong =
        waitMs === 0 ||
        !(await condition(somethingToDo, waitMs, {
          summary: `parcel ${quiet.parcel.shipmentId} quiet: check with carrier`,
        }));
    }
    if (quietTooLong && quiet && !journey.finished && !journey.handingOver) {
      journey.unplan(`check:${quiet.parcel.shipmentId}`);
      if (!parallel) {
        const stalled = await checkWithCarrier(journey, quiet.parcel, false);
        if (stalled) await reportStall(journey, quiet.parcel);
      } else if (!news.length) {
        // News that came in with the check is applied first (next round); a check held up by an outage only polls.
        const interval = daysToMs(journey.policy, journey.policy.trackingPollIntervalDays);
        const heldUp = (at: string) => msBetween(at, now()) > interval / 2;
        if (checks) {
          // Every parcel due about now at once: parcels shipped together fall due together, and one timer each a few
          // milliseconds apart would only race the checks' answers.
          const dueBy = new Date(Date.parse(now()) + interval / 100).toISOString();
          for (const due of quietParcels(journey, true, checks).filter((q) => q.at <= dueBy))
            checks.start(due.parcel, heldUp(due.at));
        } else {
          const stalled = await checkWithCarrier(journey, quiet.parcel, heldUp(quiet.at));
          if (stalled) inBackground(reportStall(journey, quiet.parcel));
        }
      }
    }
  }
  if (checks) {
    checks.scope.cancel(); // checks, and tracker registrations still being retried (carried over at a handover)
    // News that came with the journey's last step (or while the last check ran) is answered in this run.
    if (!journey.handingOver) while (news.length) answer(news.shift()!);
  }
  await Promise.all([...answering]);
  if (journey.handingOver) {
    await Promise.all([...journey.trackersRegistering]); // its answer (pollable or not) belongs in the view handed over
    return; // the checks stay planned: the next run makes them
  }
  for (const parcel of journey.view.shipments) journey.unplan(`check:${parcel.shipmentId}`);
}

/**
 * Carrier checks running beside the parcel news (since CHECKS_BESIDE_NEWS_PATCH): at most one per parcel, in a scope
 * the loop cancels when it stops (tracker registrations run in it too). `ended` counts the checks that ended, so the
 * loop plans the next one.
 */
class CarrierChecks {
  readonly scope = new CancellationScope();
  private readonly running = new Set<string>();
  ended = 0;

  constructor(
    private readonly journey: Journey,
    private readonly inBackground: (work: Promise<void>) => void,
  ) {}

  isRunning(parcel: ShipmentView): boolean {
    return this.running.has(parcel.shipmentId);
  }

  start(parcel: ShipmentView, heldUp: boolean): void {
    this.running.add(parcel.shipmentId);
    const check = this.scope
      .run(() => checkWithCarrier(this.journey, parcel, heldUp))
      .then(
        (stalled) => (stalled ? reportStall(this.journey, parcel) : undefined),
        (err: unknown) => {
          if (!isCancellation(err)) throw err; // cancelled: the loop stopped, and the next run checks again
        },
      )
      .finally(() => {
        this.running.delete(parcel.shipmentId);
        this.ended += 1;
      });
    this.inBackground(check);
  }
}

/** The parcel that has been quiet the longest: the next one due a check. */
function nextQuietParcel(
  journey: Journey,
  bounded: boolean,
  checks: CarrierChecks | undefined,
): { parcel: ShipmentView; at: string } | undefined {
  return quietParcels(journey, bounded, checks)[0];
}

/**
 * Parcels due a check, soonest first: quiet for a poll interval since progress or the last check. Since the patch, a
 * parcel nobody can poll is checked once, when it would count as stalled, and a stalled parcel not again until it
 * moves; a parcel whose check is running is not due.
 */
function quietParcels(
  journey: Journey,
  bounded: boolean,
  checks: CarrierChecks | undefined,
): { parcel: ShipmentView; at: string }[] {
  const { policy } = journey;
  const candidates = journey.view.shipments
    .filter((p) => !isFinal(p.status) && !(bounded && p.stalled) && !checks?.isRunning(p))
    .map((p) => {
      if (bounded && p.pollable === false) {
        // When it would count as stalled, and never sooner than a poll interval after the last check (a check that ran
        // late judges nothing, and the next one must not be due at once again).
        const stalledAt = dueAfterDays(p.lastProgressAt, policy, policy.stalledAfterDays);
        const nextCheck = p.lastCheckedAt
          ? dueAfterDays(p.lastCheckedAt, policy, policy.trackingPollIntervalDays)
          : stalledAt;
        return { parcel: p, at: latestOf([stalledAt, nextCheck]) };
      }
      const since = p.lastCheckedAt && p.lastCheckedAt > p.lastProgressAt ? p.lastCheckedAt : p.lastProgressAt;
      return { parcel: p, at: dueAfterDays(since, policy, policy.trackingPollIntervalDays) };
    });
  return candidates.sort((a, b) => a.at.localeCompare(b.at));
}

/** Asks the carrier (unless nobody can answer for it); true when the parcel now counts as stalled. */
async function checkWithCarrier(journey: Journey, parcel: ShipmentView, heldUp: boolean): Promise<boolean> {
  let latest: TrackingUpdate | null = null;
  if (parcel.pollable !== false) {
    try {
      latest = await carrierPolling.pollCarrier.executeWithOptions(
        { summary: `ask ${parcel.carrier.toUpperCase()} about ${parcel.shipmentId}` },
        [{ carrier: parcel.carrier, trackingNumber: parcel.trackingNumber }],
      );
    } catch (err) {
      if (isCancellation(err)) throw err; // the loop stopped (CarrierChecks): nothing was learnt, nothing is judged
      journey.record(`carrier ${parcel.carrier.toUpperCase()} did not answer about parcel ${parcel.shipmentId}`);
    }
  }
  journey.parcelChecked(parcel);
  const progressed = latest !== null && applyUpdate(journey, parcel, latest);
  if (progressed || parcel.stalled) return false;
  const quietFor = msBetween(parcel.lastProgressAt, now());
  if (quietFor < daysToMs(journey.policy, journey.policy.stalledAfterDays)) return false;
  if (heldUp) {
    journey.record(
      `parcel ${parcel.shipmentId}: check ran late (the journey was held up); not judging a stall until the next one`,
    );
    return false;
  }
  return true;
}

async function reportStall(journey: Journey, parcel: ShipmentView): Promise<void> {
  journey.parcelStalled(parcel); // before any await: the loop does not check this parcel again meanwhile
  journey.record(`parcel ${parcel.shipmentId} stalled: no progress for ${journey.policy.stalledAfterDays} days`);
  await escalate(
    journey,
    `parcel:${parcel.trackingNumber}:stalled`,
    'tracking_stalled',
    `Parcel ${parcel.trackingNumber} (${parcel.carrier.toUpperCase()}) has made no progress for ${journey.policy.stalledAfterDays} days`,
  );
  if (parcel.direction === 'outbound') {
    await sendToCustomer(journey, `parcel:${parcel.trackingNumber}:stalled`, {
      messageType: 'tracking_stalled',
      data: parcelData(journey, parcel),
    });
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
async function respond(
  journey: Journey,
  { shipmentId, news, occurrence = 1 }: ParcelNews,
  scope?: CancellationScope,
): Promise<void> {
  const parcel = journey.view.shipments.find((s) => s.shipmentId === shipmentId)!;
  if (news === 'registered' && sincePatch('register-tracker')) followWithTrackingProvider(journey, parcel, scope);
  if (parcel.direction === 'return') {
    if (news === 'delivered') await settleReturnParcel(journey, parcel);
    return;
  }
  // A status the parcel reaches again (out for delivery after a failed attempt) is its own message and ledger step.
  const step = (what: string) => `parcel:${parcel.trackingNumber}:${what}${occurrence > 1 ? `:${occurrence}` : ''}`;
  if (news === 'registered') {
    await sendToCustomer(journey, step('shipped'), { messageType: 'shipped', data: parcelData(journey, parcel) });
    return;
  }
  const messageType = customerMessageFor(news);
  if (PROBLEM_STATUSES.has(news)) {
    await escalate(
      journey,
      step(news),
      'delivery_problem',
      `Parcel ${parcel.trackingNumber} (${parcel.carrier.toUpperCase()}): ${news.replace(/_/g, ' ')}`,
    );
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
 * "shipped" message never waits for it); a refusal is recorded and polling stays the fallback. In the parcels' loop's
 * scope (since CHECKS_BESIDE_NEWS_PATCH) a registration still being retried when the run hands over is cancelled and
 * carried to the next run, instead of holding the handover (and the news behind it) for up to six hours.
 */
function followWithTrackingProvider(journey: Journey, parcel: ShipmentView, scope?: CancellationScope): void {
  const register = () =>
    trackerRegistration.registerTracker.executeWithOptions(
      { summary: `register ${parcel.shipmentId} with the tracking provider` },
      [{ carrier: parcel.carrier, trackingNumber: parcel.trackingNumber }],
    );
  const registering: Promise<void> = (scope ? scope.run(register) : register())
    .then((registration) => {
      // Older workers answered without `pollable`: they keep polling as before.
      if (registration.pollable === false && parcel.pollable !== false) {
        journey.parcelNotPollable(parcel);
        journey.record(
          `no tracking provider answers for ${parcel.carrier.toUpperCase()}: parcel ${parcel.shipmentId} is not polled`,
        );
      }
    })
    .catch((err: unknown) => {
      if (scope && isCancellation(err)) {
        if (journey.handingOver) journey.trackersToRegister.push(parcel.shipmentId);
        return;
      }
      journey.record(`tracking provider could not follow parcel ${parcel.shipmentId}; polling stays the fallback`);
    })
    .finally(() => journey.trackersRegistering.delete(registering));
  journey.trackersRegistering.add(registering);
}
