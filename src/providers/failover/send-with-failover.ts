/**
 * One message through a primary and a secondary provider of the same channel (docs/failover.md):
 * - a message whose previous call got no answer goes to that call's provider only: it may be there already;
 * - otherwise the primary, unless its circuit is open; then the secondary, only when the primary provably did not
 *   accept the message (src/domain/failover-rule.ts): an ambiguous failure or a final refusal is rethrown as it is;
 * - every answer tells the provider's circuit breaker how the provider is doing.
 */
import { CIRCUIT_OPEN, failoverVerdict, isProviderFault } from '../../domain/failover-rule';
import type { Channel } from '../../domain/order';
import { ProviderError, type MessageContext, type SendReceipt } from '../types';
import type { CircuitBreaker } from './circuit-breaker';

export interface ProviderSlot<M> {
  name: string;
  send(message: M): Promise<SendReceipt>;
}

export interface FailoverSettings {
  /** A rate limit whose window is at most this long is waited out on the primary; a longer one fails over. */
  maxRateLimitWaitMs: number;
}

export interface ProviderPair<M> {
  channel: Channel;
  primary: ProviderSlot<M>;
  secondary: ProviderSlot<M>;
  breaker: CircuitBreaker;
  settings: FailoverSettings;
}

export async function sendWithFailover<M extends MessageContext>(
  pair: ProviderPair<M>,
  message: M,
): Promise<SendReceipt> {
  const { primary, secondary, breaker, settings } = pair;
  const pinned = pinnedSlot(pair, message);
  if (pinned) return attempt(pair, pinned, message);

  let primaryFailure: ProviderError | undefined;
  if ((await breaker.admit(primary.name)) !== 'skip') {
    try {
      return await attempt(pair, primary, message);
    } catch (err) {
      if (!(err instanceof ProviderError) || failoverVerdict(err, settings.maxRateLimitWaitMs) !== 'fail_over')
        throw err;
      primaryFailure = err;
    }
  }
  if ((await breaker.admit(secondary.name)) === 'skip') {
    throw new ProviderError(
      primary.name,
      pair.channel,
      CIRCUIT_OPEN,
      `${secondary.name}'s circuit is open, and ${primary.name} ${primaryFailure ? `failed: ${primaryFailure.message}` : "'s circuit is open too"}`,
      true,
    );
  }
  return attempt(pair, secondary, message);
}

/**
 * The provider a retry must stay with: the one its unanswered previous call went to. A call made before the ledger
 * noted providers went to the primary (the only provider then).
 */
function pinnedSlot<M extends MessageContext>(pair: ProviderPair<M>, message: M): ProviderSlot<M> | undefined {
  if (!message.retryOfUnanswered) return undefined;
  const name = message.retryOfUnanswered.provider ?? pair.primary.name;
  return [pair.primary, pair.secondary].find((slot) => slot.name === name);
}

async function attempt<M extends MessageContext>(
  { breaker }: ProviderPair<M>,
  slot: ProviderSlot<M>,
  message: M,
): Promise<SendReceipt> {
  await message.beforeProviderCall?.(slot.name);
  try {
    const receipt = await slot.send(message);
    await breaker.recordSuccess(slot.name);
    return { ...receipt, provider: receipt.provider ?? slot.name };
  } catch (err) {
    if (err instanceof ProviderError) {
      // A refusal about the message says the provider works; a rate limit says nothing either way.
      if (!err.retryable) await breaker.recordSuccess(slot.name);
      else if (isProviderFault(err)) await breaker.recordFailure(slot.name);
    }
    throw err;
  }
}
