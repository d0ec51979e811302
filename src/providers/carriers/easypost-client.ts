/** EasyPost's official SDK client, as both EasyPost adapters (tracking, return labels) need it. */
import EasyPostClient from '@easypost/api';

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
