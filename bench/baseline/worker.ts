/**
 * The bench's own worker process for the baseline workflows: a bare Temporal worker, default options, no payload codec.
 * Env: BENCH_TEMPORAL_ADDRESS, BENCH_NAMESPACE, BENCH_TASK_QUEUE.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './activities';

async function main(): Promise<void> {
  const connection = await NativeConnection.connect({
    address: process.env.BENCH_TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
  });
  const worker = await Worker.create({
    connection,
    namespace: process.env.BENCH_NAMESPACE ?? 'default',
    taskQueue: process.env.BENCH_TASK_QUEUE ?? 'bench-baseline',
    workflowsPath: require.resolve('./workflows'),
    activities,
  });
  console.log('bench worker started');
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
