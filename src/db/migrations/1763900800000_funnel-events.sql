-- Up Migration

-- Opens and clicks the email provider reported for our messages (SendGrid "open" / "click"), for the funnel report.
-- One row per provider event id: a redelivered or replayed event finds its row and adds nothing. No address, no URL
-- (a clicked link may carry a token): only which message, what happened and when.
--   kind         open | click
--   occurred_at  when the provider says it happened (its event timestamp; else when we received it)
CREATE TABLE message_engagement_events (
  provider    text NOT NULL,
  event_id    text NOT NULL,
  ledger_id   uuid NOT NULL REFERENCES message_ledger (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('open', 'click')),
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, event_id)
);
CREATE INDEX message_engagement_events_message ON message_engagement_events (ledger_id, kind);

-- Each order's cohort, as checkout sent it (POST /v1/orders): the week it was placed in and its locale, which the
-- ledger does not know, and who ordered which items, for counting reorders after a replenishment reminder.
-- Written once per order (a repeated order changes nothing). Opaque ids and skus only: no name, address or email.
CREATE TABLE order_cohorts (
  order_id    text PRIMARY KEY,
  customer_id text NOT NULL,
  locale      text NOT NULL,
  placed_at   timestamptz NOT NULL,
  skus        text[] NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_cohorts_placed ON order_cohorts (placed_at);
CREATE INDEX order_cohorts_customer ON order_cohorts (customer_id, placed_at);

-- Down Migration
DROP TABLE order_cohorts;
DROP TABLE message_engagement_events;
