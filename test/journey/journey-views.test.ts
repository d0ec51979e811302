/**
 * The journey views GET …/journey reads (journey_views, on the test database): a newer view is never replaced by an
 * older one, and the worker's writer neither fails nor holds up a journey while PostgreSQL is away — it answers
 * within its wait, keeps the newest view and writes it once the database is back.
 */
import { JourneyViews, type ViewToStore } from '../../src/db/journey-views';
import { createPool } from '../../src/db/pool';
import { ViewWriter } from '../../src/temporal/journey-view-sink';
import type { JourneyView } from '../../src/workflows/journey-state';
import { startPgProxy, type PgProxy } from '../../chaos/pg-proxy';
import { testPool } from '../helpers/database';
import { eventually } from '../helpers/api-world';
import { uniqueId } from '../helpers/fixtures';

const pool = testPool();
const views = new JourneyViews(pool);
afterAll(() => pool.end());

/** A view that differs only in its stage: enough to tell which one was kept. */
const viewAt = (journeyId: string, stage: JourneyView['stage'], run: number, historyLength: number): ViewToStore => ({
  journeyId,
  runId: `run-${run}`,
  version: { run, historyLength },
  viewJson: JSON.stringify({ stage }),
});

it('keeps the newest view: a later history length or run replaces it, an earlier one does not', async () => {
  const id = uniqueId('order-views-');
  await views.save(viewAt(id, 'in_transit', 0, 40));
  await views.save(viewAt(id, 'confirming', 0, 12)); // a late write of an older view
  expect((await views.get(id))?.view.stage).toBe('in_transit');
  await views.save(viewAt(id, 'delivered', 0, 40)); // a later activation of the same task
  expect((await views.get(id))?.view.stage).toBe('delivered');
  await views.save(viewAt(id, 'awaiting_review', 1, 5)); // the next run (continue-as-new) starts a short history
  await views.save(viewAt(id, 'delivered', 0, 900));
  expect(await views.get(id)).toMatchObject({ runId: 'run-1', version: { run: 1, historyLength: 5 } });
  expect(await views.get(uniqueId('order-none-'))).toBeUndefined();
});

describe('with PostgreSQL away', () => {
  let proxy: PgProxy;
  let proxied: ReturnType<typeof createPool>;

  beforeAll(async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    proxy = await startPgProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(proxy.port);
    proxied = createPool(url.toString(), 2);
  });
  afterAll(async () => {
    await proxied.end();
    await proxy.stop();
  });

  it('answers without the write (never rejects) and writes the newest view once the database is back', async () => {
    const failures: number[] = [];
    const writer = new ViewWriter(new JourneyViews(proxied), (_id, attempt) => failures.push(attempt));
    const id = uniqueId('order-views-');
    await proxy.cut();
    await writer.publish(viewAt(id, 'in_transit', 0, 20), 300);
    await writer.publish(viewAt(id, 'delivered', 0, 30), 300); // newer, while the first still waits
    expect(await views.get(id)).toBeUndefined(); // both answered although nothing was written
    await eventually(async () => (failures.length > 0 ? true : undefined), 'a failed write');

    await proxy.restore();
    const stored = await eventually(async () => await views.get(id), 'a view written after the database came back');
    expect(stored).toMatchObject({ version: { run: 0, historyLength: 30 }, view: { stage: 'delivered' } });
  }, 60_000);
});
