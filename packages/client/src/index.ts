/**
 * A typed client for the Order Journeys API, for backend teams (checkout, fulfilment, support tools):
 *
 *   const journeys = new OrderJourneysClient({ baseUrl: 'https://journeys.internal', apiKey: JOURNEYS_KEY });
 *   const { workflowId, created } = await journeys.placeOrder(order); // retry freely: same order → same journey
 *   const journey = await journeys.getJourney('1001');
 *
 * Request and response types (./contract.ts) are generated from the API's own zod schemas, so the client cannot drift
 * from the server. Every failure is an `OrderJourneysApiError` with the HTTP status and the API's error code
 * (`invalid_request`, `order_not_found`, `journey_ended`…); network failures and timeouts have status 0.
 *
 * No runtime dependencies: only the global `fetch` (Node ≥ 18), or the one passed in.
 */
import type {
  ApiErrorBody,
  CancelInput,
  CustomerPreferences,
  EmailPreview,
  JourneyStarted,
  JourneyView,
  OrderCancelled,
  OrderInput,
  OutboxList,
  PreferencesUpdate,
  ReturnAccepted,
  ReturnInput,
  ReviewInput,
  ShipmentAdded,
  ShipmentInput,
  SmsPreview,
  TrackingEventInput,
} from './contract';

export type * from './contract';
export type OutboxMessage = OutboxList['messages'][number];

export interface PlacedOrder extends JourneyStarted {
  /** False when this order had started its journey before (the API answered 200 instead of 201). */
  created: boolean;
}

export interface OrderJourneysClientOptions {
  /** Where the API runs, e.g. "https://journeys.internal" (a path prefix is kept). */
  baseUrl: string;
  /** An API key of the role the calls need: checkout for orders and fulfilment, support for returns and cancelling. */
  apiKey: string;
  /** A fetch implementation (tests, proxies, instrumentation); the global one by default. */
  fetch?: typeof fetch;
  /** Per call, in milliseconds. Default 10 000. */
  timeoutMs?: number;
}

export interface CallOptions {
  /** Sent as X-Request-Id: the API logs it and keeps it in the journey's memo when the call starts one. */
  requestId?: string;
  signal?: AbortSignal;
}

/** Options of support's actions (returns, cancellation). */
export interface ActionCallOptions extends CallOptions {
  /**
   * Sent as Idempotency-Key (1–128 of letters, digits, `._:-`; e.g. a UUID made once per support action): retrying the
   * call with the same key and body acts once and answers the same (same RMA id); the same key with another body is
   * refused (409 `idempotency_key_reused`). Use it whenever a call may be retried, above all after a 503 or a timeout.
   */
  idempotencyKey?: string;
}

/** The API said no, or could not be reached. */
export class OrderJourneysApiError extends Error {
  override readonly name = 'OrderJourneysApiError';

  constructor(
    /** HTTP status; 0 when no answer came (network failure, timeout). */
    readonly status: number,
    /**
     * The API's error code (`invalid_request`, `unauthenticated`, `order_not_found`, …), or `unreachable` /
     * `timeout` / `http_<status>`.
     */
    readonly code: string,
    message: string,
    /** invalid_request: `[{ path, message }]` per failing field; otherwise code-specific or null. */
    readonly details: unknown = null,
    /** The request id the API answered with, for finding its log lines. */
    readonly requestId?: string,
    /** 503: the API's Retry-After, in seconds: when a retry is worth it. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export class OrderJourneysClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: OrderJourneysClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  // ---- Checkout

  /** Starts the order's journey. Idempotent: the same order again answers the same journey (`created: false`). */
  async placeOrder(order: OrderInput, options?: CallOptions): Promise<PlacedOrder> {
    const { status, body } = await this.call<JourneyStarted>('POST', '/v1/orders', order, options);
    return { workflowId: body.workflowId, runId: body.runId, created: status === 201 };
  }

  /** The journey: stage, shipments, timeline, messages sent (with delivery outcomes), next steps. */
  async getJourney(orderId: string, options?: CallOptions): Promise<JourneyView> {
    return (
      await this.call<JourneyView>('GET', `/v1/orders/${encodeURIComponent(orderId)}/journey`, undefined, options)
    ).body;
  }

  // ---- Fulfilment

  /** Registers a parcel; the same tracking number again answers the same shipment (`created: false`). */
  async addShipment(orderId: string, shipment: ShipmentInput, options?: CallOptions): Promise<ShipmentAdded> {
    return (await this.call<ShipmentAdded>('POST', `${this.order(orderId)}/shipments`, shipment, options)).body;
  }

  /** A carrier update for one of the order's parcels. */
  async reportTracking(orderId: string, event: TrackingEventInput, options?: CallOptions): Promise<void> {
    await this.call('POST', `${this.order(orderId)}/tracking-events`, event, options);
  }

  /** A review of an item of the order, from the review platform. */
  async submitReview(orderId: string, review: ReviewInput, options?: CallOptions): Promise<void> {
    await this.call('POST', `${this.order(orderId)}/reviews`, review, options);
  }

  // ---- Support

  /**
   * Opens a return; refused (409 `refused`, with the reason) outside the return rules. 503 (`journey_unavailable`,
   * `database_unavailable`): retry after `retryAfterSeconds`, with the same `idempotencyKey`.
   */
  async requestReturn(orderId: string, request: ReturnInput, options?: ActionCallOptions): Promise<ReturnAccepted> {
    return (await this.call<ReturnAccepted>('POST', `${this.order(orderId)}/returns`, request, options)).body;
  }

  /** Cancels the order; refused (409 `refused`) once anything has shipped. Retry as for `requestReturn`. */
  async cancelOrder(orderId: string, request: CancelInput, options?: ActionCallOptions): Promise<OrderCancelled> {
    return (await this.call<OrderCancelled>('POST', `${this.order(orderId)}/cancel`, request, options)).body;
  }

  /** What the customer accepts (channels, marketing) and the statements behind it (support role). */
  async getPreferences(customerId: string, options?: CallOptions): Promise<CustomerPreferences> {
    return (await this.call<CustomerPreferences>('GET', this.preferences(customerId), undefined, options)).body;
  }

  /** Records what the customer told support; answers the preferences as they are then (support role). */
  async updatePreferences(
    customerId: string,
    update: PreferencesUpdate,
    options?: CallOptions,
  ): Promise<CustomerPreferences> {
    return (await this.call<CustomerPreferences>('PUT', this.preferences(customerId), update, options)).body;
  }

  // ---- Messages

  /** Messages recorded by the local outbox provider (dev and staging stacks), newest first. */
  async listOutbox(query: { orderId?: string; limit?: number } = {}, options?: CallOptions): Promise<OutboxMessage[]> {
    const params = new URLSearchParams();
    if (query.orderId !== undefined) params.set('orderId', query.orderId);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const search = params.size ? `?${params}` : '';
    return (await this.call<OutboxList>('GET', `/v1/outbox${search}`, undefined, options)).body.messages;
  }

  /** A message type rendered with sample data (support role). */
  previewTemplate(type: string, query: { locale?: string; channel: 'sms' }, options?: CallOptions): Promise<SmsPreview>;
  previewTemplate(
    type: string,
    query?: { locale?: string; channel?: 'email' },
    options?: CallOptions,
  ): Promise<EmailPreview>;
  async previewTemplate(
    type: string,
    query: { locale?: string; channel?: 'email' | 'sms' } = {},
    options?: CallOptions,
  ): Promise<EmailPreview | SmsPreview> {
    const params = new URLSearchParams({
      channel: query.channel ?? 'email',
      ...(query.locale ? { locale: query.locale } : {}),
    });
    return (
      await this.call<EmailPreview | SmsPreview>(
        'GET',
        `/v1/templates/${encodeURIComponent(type)}/preview?${params}`,
        undefined,
        options,
      )
    ).body;
  }

  // ---- Plumbing

  private order(orderId: string): string {
    return `/v1/orders/${encodeURIComponent(orderId)}`;
  }

  private preferences(customerId: string): string {
    return `/v1/customers/${encodeURIComponent(customerId)}/preferences`;
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body: unknown,
    options: ActionCallOptions = {},
  ): Promise<{ status: number; body: T }> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${this.options.apiKey}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
          ...(options.idempotencyKey !== undefined ? { 'idempotency-key': options.idempotencyKey } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal,
      });
    } catch (err) {
      const timedOut = timeout.aborted && !options.signal?.aborted;
      const reason = err instanceof Error ? err.message : String(err);
      throw new OrderJourneysApiError(
        0,
        timedOut ? 'timeout' : 'unreachable',
        timedOut ? `${method} ${path}: no answer within ${this.timeoutMs} ms` : `${method} ${path}: ${reason}`,
      );
    }
    const requestId = res.headers.get('x-request-id') ?? undefined;
    const text = await res.text();
    const parsed = parseJson(text);
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after') ?? NaN);
      const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
      const error = (parsed as Partial<ApiErrorBody> | undefined)?.error;
      if (error && typeof error.code === 'string') {
        throw new OrderJourneysApiError(
          res.status,
          error.code,
          error.message ?? `HTTP ${res.status}`,
          error.details ?? null,
          requestId,
          retryAfterSeconds,
        );
      }
      throw new OrderJourneysApiError(
        res.status,
        `http_${res.status}`,
        `${method} ${path}: HTTP ${res.status} ${res.statusText}`.trim(),
        null,
        requestId,
        retryAfterSeconds,
      );
    }
    return { status: res.status, body: parsed as T };
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
