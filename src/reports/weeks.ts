/** The order weeks a range covers, so the trend shows a week without messages as zero rather than skipping it. */
import { emptyCounts, type FunnelReport } from '../domain/funnel';
import type { WeekCounts } from './trend-chart';

const DAY_MS = 86_400_000;

/** Monday (UTC) of the week a day falls in, YYYY-MM-DD. */
export function mondayOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const sinceMonday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

/** Every week from `from`'s to `to`'s, with the report's counts (grouped by week) or zeros. */
export function weeklySeries(report: FunnelReport): WeekCounts[] {
  const byWeek = new Map(report.rows.map((r) => [r.cohort.week, r]));
  const weeks: WeekCounts[] = [];
  for (let t = Date.parse(mondayOf(report.from)); t <= Date.parse(report.to); t += 7 * DAY_MS) {
    const week = new Date(t).toISOString().slice(0, 10);
    const row = byWeek.get(week);
    const counts = emptyCounts();
    if (row) for (const stage of Object.keys(counts) as (keyof typeof counts)[]) counts[stage] = row[stage];
    weeks.push({ week, counts });
  }
  return weeks;
}
