/**
 * The circuit breaker's state machine: closed → open after enough consecutive failures, open → half-open probe after
 * its period, and the probe's result deciding between closed and open again — one probe at a time.
 */
import {
  admit,
  afterFailure,
  afterSuccess,
  CLOSED_CIRCUIT,
  type Circuit,
  type CircuitSettings,
} from '../../src/domain/provider-circuit';

const settings: CircuitSettings = { failureThreshold: 3, openForMs: 30_000, probeTimeoutMs: 10_000 };
const T0 = Date.parse('2027-03-01T10:00:00Z');

function failTimes(times: number, circuit: Circuit = CLOSED_CIRCUIT, now = T0): Circuit {
  let c = circuit;
  for (let i = 0; i < times; i++) c = afterFailure(c, now, settings);
  return c;
}

describe('a closed circuit', () => {
  it('lets every send through', () => {
    expect(admit(CLOSED_CIRCUIT, T0, settings)).toEqual({ admission: 'send', next: CLOSED_CIRCUIT });
  });

  it('stays closed below the threshold and opens at it', () => {
    expect(failTimes(2)).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    expect(failTimes(3)).toEqual({ state: 'open', consecutiveFailures: 3, openedAt: T0, probeUntil: null });
  });

  it('forgets earlier failures after a success: only consecutive ones count', () => {
    expect(failTimes(2)).toMatchObject({ consecutiveFailures: 2 });
    const recovered = afterSuccess();
    expect(failTimes(2, recovered)).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
  });
});

describe('an open circuit', () => {
  const open = failTimes(3);

  it('skips the provider during its open period', () => {
    expect(admit(open, T0 + 29_999, settings)).toEqual({ admission: 'skip', next: open });
  });

  it('lets one probe through once the period is over, and skips the others meanwhile', () => {
    const first = admit(open, T0 + 30_000, settings);
    expect(first.admission).toBe('probe');
    expect(first.next).toMatchObject({ state: 'half_open', probeUntil: T0 + 40_000 });
    expect(admit(first.next, T0 + 30_001, settings).admission).toBe('skip');
  });

  it('lets another probe through when the first never reported back', () => {
    const { next } = admit(open, T0 + 30_000, settings);
    expect(admit(next, T0 + 40_000, settings).admission).toBe('probe');
  });

  it('closes when the probe succeeds', () => {
    expect(afterSuccess()).toEqual(CLOSED_CIRCUIT);
  });

  it('opens for a whole period again when the probe fails', () => {
    const { next } = admit(open, T0 + 30_000, settings);
    const reopened = afterFailure(next, T0 + 31_000, settings);
    expect(reopened).toMatchObject({ state: 'open', openedAt: T0 + 31_000, probeUntil: null });
    expect(admit(reopened, T0 + 60_000, settings).admission).toBe('skip');
    expect(admit(reopened, T0 + 61_000, settings).admission).toBe('probe');
  });

  it('keeps its opening time when a send admitted before it opened fails late', () => {
    expect(afterFailure(open, T0 + 5_000, settings)).toMatchObject({ state: 'open', openedAt: T0 });
  });
});
