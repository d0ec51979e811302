/**
 * The bench's HTTP client: node:http with a keep-alive agent (one socket per concurrent caller, as a checkout service's
 * connection pool would hold), cheaper on the shared CPU than fetch. Throws on any status the caller did not expect.
 */
import http from 'node:http';

export class BenchHttp {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly keys: { checkout: string; support: string },
  ) {
    this.base = new URL(baseUrl);
  }

  /** 503 answers retried (after Retry-After, as a caller should) since this client was made. */
  retried503 = 0;

  /** Each call's time as its caller waited (retries included), by method and route (the order id left out). */
  readonly waited = new Map<string, number[]>();

  /**
   * JSON request as checkout (or support); resolves with status and parsed body when the status is expected. A 503
   * (journey_unavailable: no worker answered in time) is retried up to `retries503` times, as fulfilment would.
   */
  async call<T = unknown>(
    method: string,
    path: string,
    body: unknown,
    expect: number[],
    options: { role?: 'checkout' | 'support'; headers?: Record<string, string>; retries503?: number } = {},
  ): Promise<{ status: number; body: T }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.keys[options.role ?? 'checkout']}`,
      ...options.headers,
    };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const route = `${method} ${path.replace(/^\/v1\/orders\/[^/]+/, '/v1/orders/:id')}`;
    const t0 = performance.now();
    for (let attempt = 0; ; attempt++) {
      const answer = await this.raw(method, path, payload, headers);
      if (answer.status === 503 && !expect.includes(503) && attempt < (options.retries503 ?? 0)) {
        this.retried503 += 1;
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      if (!expect.includes(answer.status))
        throw new Error(`${method} ${path} → ${answer.status} ${answer.text.slice(0, 200)}`);
      const times = this.waited.get(route) ?? [];
      if (!times.length) this.waited.set(route, times);
      times.push(performance.now() - t0);
      return { status: answer.status, body: (answer.text ? JSON.parse(answer.text) : undefined) as T };
    }
  }

  raw(
    method: string,
    path: string,
    payload: string | undefined,
    headers: Record<string, string>,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method,
          headers: { ...headers, ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}) },
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
