/** The weekly trend: one line per stage over the order weeks, with a legend; each point names its week and count. */
import { FUNNEL_STAGE_LABELS, FUNNEL_STAGE_NAMES, type FunnelCounts } from '../domain/funnel';
import { esc, niceStep, px, STAGE_COLOURS } from './svg';

export interface WeekCounts {
  /** Monday of the week, YYYY-MM-DD. */
  week: string;
  counts: FunnelCounts;
}

const WIDTH = 760;
const HEIGHT = 340;
const PAD = { left: 56, right: 16, top: 16, bottom: 96 };

export function trendChart(weeks: WeekCounts[], { id, title }: { id: string; title: string }): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const max = Math.max(0, ...weeks.flatMap((w) => FUNNEL_STAGE_NAMES.map((s) => w.counts[s])));
  const step = niceStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const x = (i: number) => PAD.left + (weeks.length > 1 ? (i / (weeks.length - 1)) * plotW : plotW / 2);
  const y = (n: number) => PAD.top + plotH - (n / top) * plotH;

  const grid: string[] = [];
  for (let n = 0; n <= top; n += step) {
    grid.push(`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${px(y(n))}" y2="${px(y(n))}" stroke="#ddd"/>
<text x="${PAD.left - 6}" y="${px(y(n))}" text-anchor="end" dominant-baseline="middle">${n}</text>`);
  }
  const every = Math.max(1, Math.ceil(weeks.length / 12)); // at most a dozen week labels
  const weekLabels = weeks
    .map((w, i) =>
      i % every === 0
        ? `<text x="${px(x(i))}" y="${HEIGHT - PAD.bottom + 18}" text-anchor="middle">${esc(w.week.slice(5))}</text>`
        : '',
    )
    .join('');
  const lines = FUNNEL_STAGE_NAMES.map((stage) => {
    const points = weeks.map((w, i) => `${px(x(i))},${px(y(w.counts[stage]))}`).join(' ');
    const dots = weeks
      .map(
        (w, i) =>
          `<circle cx="${px(x(i))}" cy="${px(y(w.counts[stage]))}" r="3" fill="${STAGE_COLOURS[stage]}"><title>${esc(
            `${FUNNEL_STAGE_LABELS[stage]}, week of ${w.week}: ${w.counts[stage]}`,
          )}</title></circle>`,
      )
      .join('');
    return `<g class="series"><polyline points="${points}" fill="none" stroke="${STAGE_COLOURS[stage]}" stroke-width="2"/>${dots}</g>`;
  }).join('\n');
  const legend = FUNNEL_STAGE_NAMES.map((stage, i) => {
    const lx = PAD.left + (i % 4) * 170;
    const ly = HEIGHT - 40 + Math.floor(i / 4) * 20;
    return `<rect x="${lx}" y="${ly - 6}" width="12" height="12" fill="${STAGE_COLOURS[stage]}"/><text x="${lx + 18}" y="${ly}" dominant-baseline="middle">${esc(FUNNEL_STAGE_LABELS[stage])}</text>`;
  }).join('');
  const desc = weeks.length
    ? `Weeks of ${weeks[0]!.week} to ${weeks[weeks.length - 1]!.week}; highest weekly count ${max}.`
    : 'No weeks in the range.';
  return `<svg id="${esc(id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img"
  aria-labelledby="${esc(id)}-title ${esc(id)}-desc" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">
<title id="${esc(id)}-title">${esc(title)}</title>
<desc id="${esc(id)}-desc">${esc(desc)}</desc>
${grid.join('\n')}
${weekLabels}
<text x="${PAD.left + plotW / 2}" y="${HEIGHT - PAD.bottom + 40}" text-anchor="middle">Order week (Monday, UTC)</text>
${lines}
${legend}
</svg>`;
}
