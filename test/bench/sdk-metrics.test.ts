import { parseHistograms, taskTimes } from '../../bench/sdk-metrics';

const scrape = (waitedSum: number, waitedCount: number, hits: number) => `
# HELP temporal_workflow_task_schedule_to_start_latency_seconds Histogram of schedule-to-start
# TYPE temporal_workflow_task_schedule_to_start_latency_seconds histogram
temporal_workflow_task_schedule_to_start_latency_seconds_bucket{task_queue="q",le="0.1"} 3
temporal_workflow_task_schedule_to_start_latency_seconds_sum{task_queue="q"} ${waitedSum / 2}
temporal_workflow_task_schedule_to_start_latency_seconds_count{task_queue="q"} ${waitedCount / 2}
temporal_workflow_task_schedule_to_start_latency_seconds_sum{task_queue="q-sticky"} ${waitedSum / 2}
temporal_workflow_task_schedule_to_start_latency_seconds_count{task_queue="q-sticky"} ${waitedCount / 2}
temporal_sticky_cache_hit_total{task_queue="q"} ${hits}
temporal_request_latency_seconds_sum{operation="Poll"} 99
`;

describe('the worker SDK metrics the bench reads', () => {
  it('sums a histogram over its label sets and leaves out histograms it does not read', () => {
    const h = parseHistograms(scrape(4, 10, 7));
    expect(h.get('temporal_workflow_task_schedule_to_start_latency')).toEqual({ sum: 4, count: 10 });
    expect(h.get('temporal_sticky_cache_hit')).toEqual({ sum: 0, count: 7 });
    expect(h.has('temporal_request_latency')).toBe(false);
  });

  it('gives the tasks between two scrapes and their mean time in ms, counters as counts only', () => {
    const times = taskTimes(parseHistograms(scrape(4, 10, 7)), parseHistograms(scrape(10, 14, 12)));
    expect(times).toEqual({
      workflow_task_schedule_to_start: { tasks: 4, meanMs: 1500 },
      sticky_cache_hit: { tasks: 5 },
    });
  });
});
