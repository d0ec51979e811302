/** EasyPost's official SDK client, as both EasyPost adapters (tracking, return labels) need it. */
import EasyPostClient from '@easypost/api';
import { CarrierError, classifyCarrierFailure } from './types';

export type EasyPost = InstanceType<typeof EasyPostClient>;

/** Per request; below the activities' start-to-close timeouts, so a silent EasyPost becomes a retryable timeout. */
const DEFAULT_TIMEOUT_MS = 20_000;

export function easyPostClient(apiKey: string, options: { timeoutMs?: number; baseUrl?: string } = {}): EasyPost {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { baseUrl } = options;
  return new EasyPostClient(apiKey, {
    // The SDK (8.9) keeps its `timeout` option but never applies it to a request: superagent's own timeout does.
    requestMiddleware: (request: { timeout(ms: number): unknown }) => request.timeout(timeoutMs),
    ...(baseUrl ? { baseUrl: baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/` } : {}),
  });
}

/**
 * An SDK error, classified: retryable (5xx, 429, timeouts, the network) or final. Undefined: not a failure of the
 * call (a bug of ours), to rethrow as it is. `keepCode`: the failure's code is EasyPost's own (e.g.
 * "422 ADDRESS.VERIFY.FAILURE"), which says more than the status alone.
 */
export function classifyEasyPostError(err: unknown, { keepCode = false } = {}): CarrierError | undefined {
  const e = err as { statusCode?: number; code?: unknown; message?: string; timeout?: number };
  const code = e.timeout !== undefined ? 'ETIMEDOUT' : e.code;
  const failure = classifyCarrierFailure('easypost', e.statusCode, code, e.message ?? 'no details');
  if (failure && keepCode && typeof e.code === 'string' && e.statusCode)
    return new CarrierError(failure.provider, `${e.statusCode} ${e.code}`, failure.message, failure.retryable);
  return failure;
}
