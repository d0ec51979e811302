/**
 * A provider's circuit breaker as a pure state machine, so thousands of journeys stop waiting out their own retries on
 * a provider that is down. The state lives in PostgreSQL (src/db/provider-circuits.ts) and is shared by every worker;
 * this module only says what the next state is.
 *
 *   closed     sends go to the provider; consecutive failures are counted, and `failureThreshold` of them open it
 *   open       sends skip the provider (they fail over) until `openForMs` has passed since it opened
 *   half_open  one send, the probe, goes to the provider; its success closes the circuit, its failure opens it again.
 *              A probe that never reports back (its worker died) is replaced after `probeTimeoutMs`.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'open', 'half_open'];

export interface CircuitSettings {
  /** Consecutive failures that open a closed circuit. */
  failureThreshold: number;
  /** How long an open circuit skips the provider before a probe may try it. */
  openForMs: number;
  /** How long a probe may take before another send may probe instead. */
  probeTimeoutMs: number;
}

export interface Circuit {
  state: CircuitState;
  consecutiveFailures: number;
  /** When it last opened (ms since the epoch); null while closed. */
  openedAt: number | null;
  /** Until when the current probe holds the half-open circuit (ms since the epoch); null when no probe is out. */
  probeUntil: number | null;
}

export const CLOSED_CIRCUIT: Circuit = { state: 'closed', consecutiveFailures: 0, openedAt: null, probeUntil: null };

/** send: use the provider; probe: use it as the one half-open probe; skip: do not use it now. */
export type Admission = 'send' | 'probe' | 'skip';

/** Whether a send may use the provider now, and the circuit after that decision (a probe claims the half-open slot). */
export function admit(
  circuit: Circuit,
  now: number,
  settings: CircuitSettings,
): { admission: Admission; next: Circuit } {
  if (circuit.state === 'closed') return { admission: 'send', next: circuit };
  const probe = {
    admission: 'probe' as const,
    next: { ...circuit, state: 'half_open' as const, probeUntil: now + settings.probeTimeoutMs },
  };
  if (circuit.state === 'open') {
    const waited = circuit.openedAt === null || now - circuit.openedAt >= settings.openForMs;
    return waited ? probe : { admission: 'skip', next: circuit };
  }
  // half_open: one probe at a time, unless the last one is overdue (its worker died before reporting).
  const probeLost = circuit.probeUntil === null || now >= circuit.probeUntil;
  return probeLost ? probe : { admission: 'skip', next: circuit };
}

/** The provider accepted a message, or refused it for the message's own sake: it works. */
export function afterSuccess(): Circuit {
  return CLOSED_CIRCUIT;
}

/** The provider failed in a way that says it is unhealthy (5xx, no answer, connection refused). */
export function afterFailure(circuit: Circuit, now: number, settings: CircuitSettings): Circuit {
  const consecutiveFailures = circuit.consecutiveFailures + 1;
  const open = { state: 'open' as const, consecutiveFailures, openedAt: now, probeUntil: null };
  if (circuit.state === 'half_open') return open; // the probe failed: wait a whole period again
  if (circuit.state === 'open') return { ...circuit, consecutiveFailures }; // a late answer of a send admitted earlier
  return consecutiveFailures >= settings.failureThreshold ? open : { ...circuit, consecutiveFailures };
}
