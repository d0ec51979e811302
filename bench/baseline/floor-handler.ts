/**
 * P1's floor handler: the least an HTTP API in front of a start can do — read the body, JSON.parse it, make the start,
 * answer 201 with the ids. Used by the floor server (http-server.ts) and by `bench:api-layer`.
 */
import type http from 'node:http';

export type FloorStart = (body: Record<string, unknown>) => Promise<{ workflowId: string; runId: string }>;

export function floorHandler(start: FloorStart): http.RequestListener {
  const answer = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
      } catch {
        return answer(res, 400, { error: 'not JSON' });
      }
      start(body).then(
        (ids) => answer(res, 201, ids),
        (err: unknown) => answer(res, 500, { error: String(err) }),
      );
    });
  };
}
