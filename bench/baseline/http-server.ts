/**
 * P1's floor for an HTTP API: the least a service in front of a start can do — node:http, JSON.parse of the order,
 * one bare `client.workflow.start` (the P1 baseline's workflow and payload), a 201 with the ids. No framework,
 * validation, auth, encryption, logging or database. Our API compared with it shows what it adds beyond any HTTP hop.
 * Env: BENCH_TEMPORAL_ADDRESS, BENCH_NAMESPACE, BENCH_TASK_QUEUE, BENCH_PORT, BENCH_PAYLOAD_BYTES.
 */
import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { floorHandler } from './floor-handler';

async function main(): Promise<void> {
  const client = new Client({
    connection: await Connection.connect({ address: process.env.BENCH_TEMPORAL_ADDRESS ?? '127.0.0.1:7233' }),
    namespace: process.env.BENCH_NAMESPACE ?? 'default',
  });
  const taskQueue = process.env.BENCH_TASK_QUEUE ?? 'bench-p1-bare';
  const payload = 'x'.repeat(Number(process.env.BENCH_PAYLOAD_BYTES ?? 1000));
  const server = http.createServer(
    floorHandler(async (body) => {
      const handle = await client.workflow.start('benchTrivial', {
        workflowId: `bare-http-${String(body.orderId)}`,
        taskQueue,
        args: [payload],
      });
      return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
    }),
  );
  // A clean exit on SIGTERM, so that a CPU profiler preloaded into it (bench --profile) writes its profile.
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
  server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => console.log('bench http server started'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
