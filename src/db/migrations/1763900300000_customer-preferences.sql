-- Up Migration

-- What each customer told us, per topic: marketing yes/no, and channels they turned off. One row per (customer, topic)
-- holds the latest statement (an older one arriving late changes nothing); no row = never said. Address-level refusals
-- (SMS STOP, bounces) stay in contact_consent, keyed by address: the webhooks that record them know no customer.
--   topic   marketing | email | sms
--   status  opted_in | opted_out
--   source  who recorded it: "checkout:order <id>", "unsubscribe-link:email", "support", …
--   said_at when the customer said so (an order's placedAt, the click, the support call); the latest wins
CREATE TABLE customer_preferences (
  customer_id text NOT NULL,
  topic       text NOT NULL CHECK (topic IN ('marketing', 'email', 'sms')),
  status      text NOT NULL CHECK (status IN ('opted_in', 'opted_out')),
  source      text NOT NULL,
  reason      text,
  said_at     timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, topic)
);

-- Every statement ever recorded, newest last: the opt-outs (and opt-ins) with their source and time, for support and
-- for proving consent. Append-only.
CREATE TABLE customer_preference_events (
  id          bigserial PRIMARY KEY,
  customer_id text NOT NULL,
  topic       text NOT NULL CHECK (topic IN ('marketing', 'email', 'sms')),
  status      text NOT NULL CHECK (status IN ('opted_in', 'opted_out')),
  source      text NOT NULL,
  reason      text,
  said_at     timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_preference_events_customer ON customer_preference_events (customer_id, said_at);
-- An order's checkout consent is noted once, however many of its messages ask.
CREATE UNIQUE INDEX customer_preference_events_checkout_once ON customer_preference_events (customer_id, source)
  WHERE source LIKE 'checkout:%';

-- The frequency cap's reservations: when each marketing message of a customer may go (workflow time), at most one per
-- 24 hours across all their journeys. One row per journey step: a retried reservation finds its own row.
CREATE TABLE marketing_slots (
  customer_id text NOT NULL,
  journey_id  text NOT NULL,
  step        text NOT NULL,
  slot_at     timestamptz NOT NULL,
  reserved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (journey_id, step)
);
CREATE INDEX marketing_slots_customer ON marketing_slots (customer_id, slot_at);

-- The headers an email carried (List-Unsubscribe…), as the local outbox recorded them.
ALTER TABLE outbox_messages ADD COLUMN headers jsonb;

-- Down Migration
ALTER TABLE outbox_messages DROP COLUMN headers;
DROP TABLE marketing_slots;
DROP TABLE customer_preference_events;
DROP TABLE customer_preferences;
