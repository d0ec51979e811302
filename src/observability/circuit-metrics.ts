/**
 * The providers' circuit breakers in Prometheus, read from where every worker shares them (PostgreSQL) at each scrape:
 *
 *   order_journeys_provider_circuit_state{provider,state}   1 for the provider's current state, 0 for the others
 *
 * (one series per state, so `order_journeys_provider_circuit_state{state="open"} == 1` alerts on any open circuit).
 * A provider never used has no row and is not listed; a scrape while the database is away shows no circuits.
 */
import { Gauge, type Registry } from 'prom-client';
import { CIRCUIT_STATES, type CircuitState } from '../domain/provider-circuit';

/** Where the circuits' states are read (src/db/provider-circuits.ts). */
export interface CircuitStates {
  states(): Promise<Record<string, CircuitState>>;
}

export function registerCircuitGauge(registry: Registry, circuits: CircuitStates): Gauge<'provider' | 'state'> {
  return new Gauge({
    name: 'order_journeys_provider_circuit_state',
    help: "Each messaging provider's circuit breaker: 1 for its current state (closed, open, half_open), else 0",
    labelNames: ['provider', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const states = await circuits.states().catch(() => ({}));
      for (const [provider, current] of Object.entries(states)) {
        for (const state of CIRCUIT_STATES) this.set({ provider, state }, state === current ? 1 : 0);
      }
    },
  });
}
