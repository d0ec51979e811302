/**
 * The workload's HTTP calls, as a careful caller makes them: retried on no answer, 5xx and 429 (honouring Retry-After)
 * until the scenario's deadline (as a fulfilment system's queue retries until the journey takes the parcel: a worker
 * killed ten times in two minutes keeps a journey from answering for about four), with every answer recorded so the
 * report can say what callers saw during a fault (503 with Retry-After is the goal; 500 is not).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface ApiAnswer {
  at: number;
  method: string;
  /** Route pattern, e.g. "POST /v1/orders/:id/shipments" (no ids: the report groups by it). */
  route: string;
  /** 0: no answer (connection refused or reset, timeout). */
  status: number;
  retryAfter: string | null;
  errorCode: string | null;
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
}

export class ApiCaller {
  readonly answers: ApiAnswer[] = [];
  /**
   * After this instant (epoch ms) no call is retried any more: keeps a scenario bounded even when the stack is broken.
   */
  giveUpAt = Infinity;

  constructor(
    private readonly baseUrl: string,
    private readonly keys: { checkout: string; support: string },
    /** Per call; by default until `giveUpAt`. */
    private readonly retryForMs = Infinity,
  ) {}

  /** One call, retried while the answer is "not now". Returns the last answer (status 0 when none ever came). */
  async call<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    options: { role?: 'checkout' | 'support'; body?: unknown; headers?: Record<string, string>; retry?: boolean } = {},
  ): Promise<CallResult<T>> {
    const route = `${method} ${path.replace(/\/v1\/orders\/[^/]+/, '/v1/orders/:id').replace(/\?.*$/, '')}`;
    const deadline = Date.now() + this.retryForMs;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(method, path, route, options);
      const retryable = answer.status === 0 || answer.status >= 500 || answer.status === 429;
      const late = Date.now() > deadline || Date.now() > this.giveUpAt;
      if (!retryable || options.retry === false || late) return answer.result as CallResult<T>;
      const asked = Number(answer.retryAfter);
      await sleep(
        Number.isFinite(asked) && asked > 0 ? Math.min(asked * 1000, 5_000) : Math.min(250 * 2 ** attempt, 3_000),
      );
    }
  }

  get expired(): boolean {
    return Date.now() > this.giveUpAt;
  }

  private async once(
    method: string,
    path: string,
    route: string,
    options: { role?: 'checkout' | 'support'; body?: unknown; headers?: Record<string, string> },
  ) {
    const at = Date.now();
    let status: number;
    let retryAfter: string | null = null;
    let body: unknown = null;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.keys[options.role ?? 'checkout']}`,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      const text = await res.text();
      body = text ? safeJson(text) : null;
    } catch {
      status = 0;
    }
    const errorCode = (body as { error?: { code?: string } } | null)?.error?.code ?? null;
    this.answers.push({ at, method, route, status, retryAfter, errorCode });
    return { status, retryAfter, result: { status, body } };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
