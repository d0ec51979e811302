/**
 * How a journey reads in the Temporal UI: the "current details" markdown on its page and the overall parcel status of
 * the ShipmentStatus search attribute. Pure: the Journey shows what these compute.
 */
import { minutesOf } from '../domain/durations';
import { PROBLEM_STATUSES, TRACKING_STATUSES } from '../domain/tracking-status';
import type { JourneyView, ShipmentView } from './journey-state';

/** A short markdown timeline, no personal data. `run` counts the runs before this one (0 in the first). */
export function detailsMarkdown(view: JourneyView, run: number): string {
  const parcels = view.shipments.map(
    (s) =>
      `- ${s.direction === 'return' ? 'return ' : ''}parcel ${s.carrier.toUpperCase()} ${s.trackingNumber}: ${s.status.replace(/_/g, ' ')}`,
  );
  const next = view.plan.slice(0, 3).map((p) => `- ${p.description}${p.dueAt ? ` — ${minutesOf(p.dueAt)} UTC` : ''}`);
  const recent = view.timeline.slice(-6).map((t) => `- ${minutesOf(t.at)} ${t.event}`);
  return [
    `**Stage:** ${view.stage.replace(/_/g, ' ')}`,
    // A continued run has no static summary of its own (the TypeScript SDK cannot pass one on continue-as-new).
    ...(run
      ? [
          `**Order** ${view.orderId} · ${view.items.length} item${view.items.length === 1 ? '' : 's'} · run ${run + 1} of this journey`,
        ]
      : []),
    ...(parcels.length ? ['', '**Parcels**', ...parcels] : []),
    ...(next.length ? ['', '**Next**', ...next] : []),
    '',
    '**Recent**',
    ...recent,
  ].join('\n');
}

/** The outbound parcels' overall state: a problem if any has one, else the least advanced parcel's status. */
export function overallShipmentStatus(parcels: ShipmentView[]): string | undefined {
  if (!parcels.length) return undefined;
  const problem = parcels.find((p) => PROBLEM_STATUSES.has(p.status as never));
  const rank = (s: string) => (s === 'registered' ? -1 : TRACKING_STATUSES.indexOf(s as never));
  const least = [...parcels].sort((a, b) => rank(a.status) - rank(b.status))[0]!;
  return problem ? problem.status : least.status;
}
