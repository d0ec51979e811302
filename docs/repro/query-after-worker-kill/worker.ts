/**
 * One worker process of the reproduction (the parent SIGKILLs it). Reads its settings from the environment:
 * ADDRESS, TASK_QUEUE, BUNDLE (a pre-built workflow bundle), STICKY_TIMEOUT_MS, MAX_CACHED (both optional).
 * Prints "created" once the worker is built, then starts polling when "go" arrives on stdin and prints "ready" (so the
 * parent can time the restart without waiting for the process to boot).
 */
import { NativeConnection, Runtime, Worker, DefaultLogger } from '@temporalio/worker';

async function main(): Promise<void> {
  const env = (name: string) => process.env[name] ?? '';
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: env('ADDRESS') });
  const worker = await Worker.create({
    connection,
    taskQueue: env('TASK_QUEUE'),
    workflowBundle: { codePath: env('BUNDLE') },
    activities: { async tick() {} },
    ...(process.env.STICKY_TIMEOUT_MS ? { stickyQueueScheduleToStartTimeout: Number(process.env.STICKY_TIMEOUT_MS) } : {}),
    ...(process.env.MAX_CACHED ? { maxCachedWorkflows: Number(process.env.MAX_CACHED) } : {}),
  });
  process.stdout.write('created\n');
  await new Promise<void>((resolve) => process.stdin.on('data', (d: Buffer) => d.toString().includes('go') && resolve()));
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
