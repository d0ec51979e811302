/**
 * `npm run bench:api-layer` — what our API costs per order in its own process, apart from the Temporal server and
 * from the cores P1 shares with it. Four HTTP servers in this process take turns under the same load (8 callers on
 * keep-alive connections, the same orders), and this process's CPU is read per request:
 * - hop: node:http answering 201 at once (the load's own cost and the least any server costs);
 * - floor: P1's floor handler (bench/baseline/floor-handler.ts: JSON.parse, a bare start of a payload as long as the
 *   journey's input, the ids back);
 * - journey start: the same handler starting the journey itself (JourneyService.start: the encrypted input, memo,
 *   search attributes, summary and details), so the Temporal client's work for our start options;
 * - api: the service's app (buildApi, src/server.ts): express, the API-key check, validation, the fingerprint, the
 *   request line, metrics and the funnel's cohort note in PostgreSQL (a database of its own).
 * Every start goes through the real Temporal client and data converter down to the protobuf encoding of its request;
 * only the network call is answered at once, in this process. The network and what the server does with the request
 * are P1's and `bench:start-options`' to measure; this splits what P1 counts as our API's share.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Client, type ConnectionLike } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createChaosDatabase } from '../chaos/database';
import { CHAOS_KEYS, ENCRYPTION_KEYS } from '../chaos/stack';
import { loadConfig } from '../src/config';
import { createPool } from '../src/db/pool';
import { migrate } from '../src/db/migrate';
import { demoPolicy } from '../src/domain/policy';
import type { Order } from '../src/domain/order';
import { JourneyService, type JourneyRecords } from '../src/journeys/journey-service';
import { createLogger } from '../src/logger';
import { buildApi } from '../src/server';
import { encryptedDataConverter } from '../src/temporal/data-converter';
import { parseKeyRing } from '../src/temporal/encryption-codec';
import { floorHandler } from './baseline/floor-handler';
import { BenchHttp } from './http';
import { closedLoop } from './load';
import { benchOrder, runTag } from './orders';

const PER_ROUND = 1_500;
const ROUNDS = 10;
const CALLERS = 8;
const TASK_QUEUE = 'bench-api-layer';

/**
 * A Temporal connection whose start call is answered at once: the request is encoded as gRPC would send it, nothing
 * is sent. Only what WorkflowClient.start calls is there.
 */
function answeringConnection(): ConnectionLike {
  let runs = 0;
  const workflowService = {
    startWorkflowExecution: async (request: temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest) => {
      temporal.api.workflowservice.v1.StartWorkflowExecutionRequest.encode(request).finish();
      runs += 1;
      return { runId: `bench-run-${runs}` };
    },
  };
  return { workflowService, plugins: [] } as unknown as ConnectionLike;
}

async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function main(): Promise<void> {
  const database = await createChaosDatabase();
  const pool = createPool(database.url, 4);
  const notesPool = createPool(database.url, 2, { asyncCommit: true });
  const servers: http.Server[] = [];
  try {
    await migrate(database.url);
    const config = loadConfig({
      NODE_ENV: 'development',
      JOURNEY_POLICY: 'demo',
      DATABASE_URL: database.url,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      PAYLOAD_ENCRYPTION_KEYS: ENCRYPTION_KEYS,
      API_KEYS_CHECKOUT: CHAOS_KEYS.checkout,
      API_KEYS_SUPPORT: CHAOS_KEYS.support,
      CARRIER_TRACKING_PROVIDER: 'none',
    });
    const client = new Client({
      connection: answeringConnection(),
      namespace: 'default',
      dataConverter: encryptedDataConverter(parseKeyRing(ENCRYPTION_KEYS)),
    });
    const bareClient = new Client({ connection: answeringConnection(), namespace: 'default' });
    const journeys = new JourneyService(client, TASK_QUEUE, demoPolicy, {} as JourneyRecords); // start() reads none
    // As the API writes its lines (src/logger.ts: buffered, 4 KiB per write), to nowhere.
    const logger = createLogger({
      name: 'api',
      destination: pino.destination({ dest: '/dev/null', sync: false, minLength: 4096 }),
    });
    const tag = runTag();
    const order = (i: number) => benchOrder(`al${tag}-${i}`, { phone: `+3712${String(10_000_000 + i).slice(1)}` });
    const payload = 'x'.repeat(JSON.stringify({ order: order(0), policy: demoPolicy }).length);

    const sides = {
      hop: await listen((req, res) => {
        req.resume().on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{}'));
      }),
      floor: await listen(
        floorHandler(async (body) => {
          const workflowId = `bare-http-${String(body.orderId)}`;
          const handle = await bareClient.workflow.start('benchTrivial', {
            workflowId,
            taskQueue: TASK_QUEUE,
            args: [payload],
          });
          return { workflowId, runId: handle.firstExecutionRunId };
        }),
      ),
      journeyStart: await listen(floorHandler((body) => journeys.start(body as unknown as Order))),
      api: await listen(buildApi(config, pool, client, demoPolicy, logger, undefined, notesPool)),
    };
    servers.push(...Object.values(sides).map((s) => s.server));
    type Side = keyof typeof sides;
    const names = Object.keys(sides) as Side[];
    const cpuUs: Record<Side, number[]> = { hop: [], floor: [], journeyStart: [], api: [] };
    let serial = 0;
    const run = async (side: Side, n: number) => {
      const caller = new BenchHttp(sides[side].url, CHAOS_KEYS);
      const result = await closedLoop(n, CALLERS, () => {
        serial += 1;
        return caller.call('POST', '/v1/orders', order(serial), [201]).then(() => undefined);
      });
      if (result.failures) throw new Error(`${side}: ${result.failures} of ${n} failed (${result.firstFailure})`);
    };
    for (const side of names) await run(side, 500); // warm-up: JIT, connections, prepared statements
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? names : [...names].reverse()) {
        const before = process.cpuUsage();
        await run(side, PER_ROUND);
        const used = process.cpuUsage(before);
        cpuUs[side].push((used.user + used.system) / PER_ROUND);
      }
    }
    // The median round of each side: a round the machine's other tenants slowed does not move it.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const per = Object.fromEntries(names.map((s) => [s, Math.round(median(cpuUs[s]))])) as Record<Side, number>;
    console.log(`CPU per POST /v1/orders in this process, µs (median of ${ROUNDS} rounds of ${PER_ROUND}):`);
    for (const side of names)
      console.log(
        `  ${side.padEnd(12)} ${String(per[side]).padStart(6)}   rounds ${cpuUs[side].map(Math.round).join(' · ')}`,
      );
    console.log(`our API beyond the floor: ${per.api - per.floor} µs per order, of which`);
    console.log(`  the Temporal client's work for the journey's start options: ${per.journeyStart - per.floor} µs`);
    console.log(
      `  our HTTP layer (express, key check, validation, fingerprint, request line, metrics, note): ${per.api - per.journeyStart} µs`,
    );
  } finally {
    for (const server of servers) server.close();
    await notesPool.end();
    await pool.end();
    await database.drop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
