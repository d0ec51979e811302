/**
 * Journey views as the workers publish them (migration 1763900600000): what GET …/journey reads without a worker.
 */
import type { Pool } from 'pg';
import type { JourneyView } from '../workflows/journey-state';
import type { ViewVersion } from '../workflows/view-publishing';

export interface StoredView {
  journeyId: string;
  runId: string;
  version: ViewVersion;
  view: JourneyView;
}

/**
 * A view to store, as the JSON text the journey published (taken in the workflow at the end of its activation: a
 * snapshot, whatever the journey does next).
 */
export type ViewToStore = Omit<StoredView, 'view'> & { viewJson: string };

export class JourneyViews {
  constructor(private readonly pool: Pool) {}

  /**
   * Keeps the view unless a newer one is stored already. The same version may be written again (a later activation of
   * the same workflow task, e.g. after an update's validator): the last write of it wins.
   */
  async save({ journeyId, runId, version, viewJson }: ViewToStore): Promise<void> {
    await this.pool.query(
      `INSERT INTO journey_views (journey_id, run_id, run, history_length, view) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (journey_id) DO UPDATE
         SET run_id = excluded.run_id, run = excluded.run, history_length = excluded.history_length,
             view = excluded.view, written_at = now()
         WHERE (excluded.run, excluded.history_length) >= (journey_views.run, journey_views.history_length)`,
      [journeyId, runId, version.run, version.historyLength, viewJson],
    );
  }

  async get(journeyId: string): Promise<StoredView | undefined> {
    const { rows } = await this.pool.query<{ runId: string; run: number; historyLength: number; view: JourneyView }>(
      `SELECT run_id AS "runId", run, history_length AS "historyLength", view FROM journey_views WHERE journey_id = $1`,
      [journeyId],
    );
    const row = rows[0];
    return (
      row && {
        journeyId,
        runId: row.runId,
        version: { run: row.run, historyLength: row.historyLength },
        view: row.view,
      }
    );
  }
}
