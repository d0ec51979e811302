-- Up Migration

-- One row per customer message: the journey's promise that a step's message on a channel is sent at most once.
CREATE TABLE message_ledger (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  journey_id          text NOT NULL,
  order_id            text NOT NULL,
  step                text NOT NULL,
  channel             text NOT NULL CHECK (channel IN ('email', 'sms')),
  message_type        text NOT NULL,
  status              text NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'sent', 'delivered', 'failed', 'skipped')),
  attempts            integer NOT NULL DEFAULT 0,
  provider            text,
  provider_message_id text,
  error_code          text,
  error_message       text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz,
  CONSTRAINT message_ledger_one_per_step UNIQUE (journey_id, step, channel)
);
CREATE INDEX message_ledger_order ON message_ledger (order_id);
CREATE INDEX message_ledger_provider_message ON message_ledger (provider, provider_message_id);

-- What the local outbox provider "sent": the dev stack's inbox, and the tests' window on what customers receive.
CREATE TABLE outbox_messages (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The ledger row's id: a retried send lands on the same row instead of a second message.
  idempotency_key text NOT NULL UNIQUE,
  channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
  order_id        text,
  journey_id      text,
  message_type    text NOT NULL,
  recipient       text NOT NULL,
  subject         text,
  text_body       text NOT NULL,
  html_body       text,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX outbox_messages_order ON outbox_messages (order_id, created_at DESC);
CREATE INDEX outbox_messages_newest ON outbox_messages (created_at DESC);

-- Down Migration
DROP TABLE outbox_messages;
DROP TABLE message_ledger;
