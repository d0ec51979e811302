/**
 * GET /reports: the funnel and its weekly trend as server-rendered SVG, with the same numbers in tables (for screen
 * readers and for copying). No script, no stylesheet or font from elsewhere: the page works offline and behind a CSP.
 */
import { FUNNEL_STAGE_LABELS, FUNNEL_STAGE_NAMES, type FunnelReport } from '../domain/funnel';
import { funnelChart } from './funnel-chart';
import { esc, percent } from './svg';
import { trendChart, type WeekCounts } from './trend-chart';
import { weeklySeries } from './weeks';

export interface ReportsPageInput {
  from: string;
  to: string;
  shopName: string;
  /** The report without groupings: its totals are the funnel. */
  funnel: FunnelReport;
  /** The report grouped by week. */
  weekly: FunnelReport;
}

export function reportsPage({ from, to, shopName, funnel, weekly }: ReportsPageInput): string {
  const totals = funnel.totals;
  const weeks = weeklySeries(weekly);
  const range = `${from} to ${to}`;
  const rating = totals.averageRating === null ? 'no reviews' : `average rating ${totals.averageRating} of 5`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Message funnel, ${range} · ${shopName}`)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 820px; color: #222; padding: 0 1rem; }
  h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
  svg { max-width: 100%; height: auto; } svg text { fill: #222; }
  table { border-collapse: collapse; font-size: .85rem; margin-top: .5rem; }
  th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: right; }
  th:first-child { text-align: left; white-space: nowrap; }
  form { display: flex; gap: 1rem; align-items: end; } label { display: grid; font-size: .85rem; }
  .note { color: #555; font-size: .85rem; }
</style>
</head>
<body>
<h1>${esc(`${shopName}: message funnel`)}</h1>
<form method="get" action="/reports">
  <label>From <input type="date" name="from" value="${esc(from)}" required></label>
  <label>To <input type="date" name="to" value="${esc(to)}" required></label>
  <button type="submit">Show</button>
</form>
<p class="note">Messages of orders placed ${esc(range)} (UTC). Outcomes count messages whose order had the outcome after
the message went; reorders count replenishment reminders followed by an order of the item; ${esc(rating)}.</p>
<section aria-labelledby="funnel-heading">
<h2 id="funnel-heading">Funnel</h2>
${funnelChart(totals, { id: 'funnel-chart', title: `Message funnel, orders placed ${range}` })}
${funnelTable(totals)}
</section>
<section aria-labelledby="trend-heading">
<h2 id="trend-heading">Weekly trend</h2>
${trendChart(weeks, { id: 'trend-chart', title: `Funnel stages per order week, ${range}` })}
${weeklyTable(weeks)}
</section>
</body>
</html>`;
}

function funnelTable(totals: FunnelReport['totals']): string {
  const rows = FUNNEL_STAGE_NAMES.map(
    (s) =>
      `<tr><th scope="row">${esc(FUNNEL_STAGE_LABELS[s])}</th><td>${totals[s]}</td><td>${percent(totals[s], totals.sent)}</td></tr>`,
  ).join('');
  return `<table><caption class="note">The funnel in numbers</caption>
<thead><tr><th scope="col">Stage</th><th scope="col">Messages</th><th scope="col">Of sent</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function weeklyTable(weeks: WeekCounts[]): string {
  const head = FUNNEL_STAGE_NAMES.map((s) => `<th scope="col">${esc(FUNNEL_STAGE_LABELS[s])}</th>`).join('');
  const rows = weeks
    .map(
      (w) =>
        `<tr><th scope="row">${esc(w.week)}</th>${FUNNEL_STAGE_NAMES.map((s) => `<td>${w.counts[s]}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><caption class="note">Per order week (Monday, UTC)</caption>
<thead><tr><th scope="col">Week</th>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}
