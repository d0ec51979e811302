/** The funnel as horizontal bars, one per stage, each with its count and its share of the messages sent. */
import { FUNNEL_STAGE_LABELS, FUNNEL_STAGE_NAMES, type FunnelCounts } from '../domain/funnel';
import { esc, percent, px, STAGE_COLOURS } from './svg';

const WIDTH = 760;
const LABEL_WIDTH = 150;
const VALUE_WIDTH = 130;
const BAR_HEIGHT = 28;
const GAP = 10;

export function funnelChart(counts: FunnelCounts, { id, title }: { id: string; title: string }): string {
  const sent = counts.sent;
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = FUNNEL_STAGE_NAMES.length * (BAR_HEIGHT + GAP) + GAP;
  const summary = FUNNEL_STAGE_NAMES.map((s) => `${FUNNEL_STAGE_LABELS[s]} ${counts[s]}`).join(', ');
  const bars = FUNNEL_STAGE_NAMES.map((stage, i) => {
    const y = GAP + i * (BAR_HEIGHT + GAP);
    const width = sent ? (counts[stage] / sent) * barSpace : 0;
    const label = FUNNEL_STAGE_LABELS[stage];
    const share = stage === 'sent' ? '' : ` (${percent(counts[stage], sent)})`;
    return `<g class="stage">
  <title>${esc(`${label}: ${counts[stage]}${share}`)}</title>
  <text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT / 2}" text-anchor="end" dominant-baseline="middle">${esc(label)}</text>
  <rect x="${LABEL_WIDTH}" y="${y}" width="${px(Math.max(width, counts[stage] ? 2 : 0))}" height="${BAR_HEIGHT}" rx="3" fill="${STAGE_COLOURS[stage]}"/>
  <text x="${LABEL_WIDTH + barSpace + 8}" y="${y + BAR_HEIGHT / 2}" dominant-baseline="middle">${esc(`${counts[stage]}${share}`)}</text>
</g>`;
  }).join('\n');
  return `<svg id="${esc(id)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img"
  aria-labelledby="${esc(id)}-title ${esc(id)}-desc" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="14">
<title id="${esc(id)}-title">${esc(title)}</title>
<desc id="${esc(id)}-desc">${esc(summary)}</desc>
${bars}
</svg>`;
}
