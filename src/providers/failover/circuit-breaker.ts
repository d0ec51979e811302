/**
 * What a provider pair needs from the circuit breakers (src/db/provider-circuits.ts keeps them in PostgreSQL), and the
 * guard that keeps a breaker from ever blocking a send: when its store does not answer, it behaves as closed.
 */
import type { Admission } from '../../domain/provider-circuit';

export interface CircuitBreaker {
  admit(provider: string): Promise<Admission>;
  recordSuccess(provider: string): Promise<void>;
  recordFailure(provider: string): Promise<void>;
}

/** No breaker: every provider is always tried. */
export const NO_CIRCUIT_BREAKER: CircuitBreaker = {
  admit: () => Promise.resolve('send'),
  recordSuccess: () => Promise.resolve(),
  recordFailure: () => Promise.resolve(),
};

export interface FailOpenOptions {
  /** How long a breaker call may take before the send goes on without it. */
  timeoutMs?: number;
  /** Told of each breaker call that failed or timed out (the worker logs it); never of a secret. */
  onError?: (err: unknown, operation: keyof CircuitBreaker, provider: string) => void;
}

const DEFAULT_TIMEOUT_MS = 1_000;

/**
 * The breaker's state is an optimisation, not a precondition of sending: with PostgreSQL away, admit says "send" and
 * outcomes go unrecorded. Nothing thrown here ever reaches the journey.
 */
export function failOpen(breaker: CircuitBreaker, options: FailOpenOptions = {}): CircuitBreaker {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, onError } = options;
  async function guarded<T>(operation: keyof CircuitBreaker, provider: string, fallback: T, call: () => Promise<T>) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the circuit breaker did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (err) {
      onError?.(err, operation, provider);
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    admit: (provider) => guarded('admit', provider, 'send', () => breaker.admit(provider)),
    recordSuccess: (provider) => guarded('recordSuccess', provider, undefined, () => breaker.recordSuccess(provider)),
    recordFailure: (provider) => guarded('recordFailure', provider, undefined, () => breaker.recordFailure(provider)),
  };
}
