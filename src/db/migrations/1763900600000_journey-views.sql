-- Up Migration

-- What GET /v1/orders/:orderId/journey answers: each journey's view as its worker last saw it, written by the worker
-- at the end of every workflow activation that changed it (a workflow sink, src/temporal/journey-view-sink.ts). The API
-- reads it here instead of querying the journey: a query answered by a restarted worker can record a history that
-- does not replay (issue 9, cause A; docs/upstream/query-after-worker-kill.md), and a read needs no worker at all.
--   run             runs before the one that wrote the view (continue-as-new), and
--   history_length  the history's length at that activation: a write only replaces an older (run, length) — two
--                   workers, or a retry of a write that failed, never put an older view over a newer one
--   view            the JourneyView (order items, stages, messages and their steps; no address, email or phone)
CREATE TABLE journey_views (
  journey_id      text PRIMARY KEY,
  run_id          text NOT NULL,
  run             integer NOT NULL,
  history_length  integer NOT NULL,
  view            jsonb NOT NULL,
  written_at      timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE journey_views;
