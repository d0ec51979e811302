/** What the report's SVG charts share: escaping, the stages' colours, and round axis steps. */
import type { FunnelStageName } from '../domain/funnel';
import { escapeHtml } from '../templates/html';

/** Escapes text for SVG/HTML content and attributes. */
export const esc = escapeHtml;

/** One colour per stage, distinguishable in print and for the common colour-vision deficiencies (Okabe–Ito). */
export const STAGE_COLOURS: Record<FunnelStageName, string> = {
  sent: '#0072B2',
  delivered: '#56B4E9',
  opened: '#009E73',
  clicked: '#F0E442',
  reviewed: '#E69F00',
  reordered: '#CC79A7',
  returned: '#D55E00',
  cancelled: '#666666',
};

/** A round step for an axis up to `max` with about `ticks` ticks: 1, 2 or 5 times a power of ten. */
export function niceStep(max: number, ticks = 5): number {
  if (max <= 0) return 1;
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  return Math.max(1, step);
}

/** "12.5%" of a whole, or "–" when there is no whole. */
export function percent(part: number, whole: number): string {
  if (!whole) return '–';
  return `${(Math.round((part / whole) * 1000) / 10).toString()}%`;
}

/** Coordinates rounded for compact markup. */
export const px = (n: number) => Math.round(n * 10) / 10;
