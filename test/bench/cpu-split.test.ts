/** P1's split of the CPU per start beyond bare (bench/report.ts). */
import { cpuSplit } from '../../bench/report';

it('splits what ours costs beyond bare into the HTTP hop, the start request on the server, and our API', () => {
  // 15:33's run at c16: bare 5.44 ms (server 4.58), floor 5.97 (server 4.45), ours 8.14 (server 5.45).
  const split = cpuSplit(5.44, 5.97, 8.14, { temporal: 4.45, bareHttp: 1.12 }, { temporal: 5.45, api: 2.21 });
  expect(split).toEqual({ hop: 0.53, startRequest: 1, ours: 1.17, ceiling: 0.78 });
  expect(split.hop + split.startRequest + split.ours).toBeCloseTo(8.14 - 5.44, 5);
});

it('puts the server CPU our start request saves (a noisy run) against our own share, so the parts still sum', () => {
  const split = cpuSplit(5, 6, 8, { temporal: 4.5 }, { temporal: 4.3 });
  expect(split.startRequest).toBe(-0.2);
  expect(split.ours).toBe(2.2);
  expect(split.ceiling).toBe(0.86);
});
