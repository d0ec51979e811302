-- Up Migration

-- Cases for the support team: delivery problems, stalled parcels, bad reviews. One per journey and cause.
CREATE TABLE support_cases (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  journey_id  text NOT NULL,
  order_id    text NOT NULL,
  -- What caused the case, unique within the journey (e.g. "shipment:1Z999:exception"): a retried activity finds it.
  case_key    text NOT NULL,
  kind        text NOT NULL,
  summary     text NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT support_cases_one_per_cause UNIQUE (journey_id, case_key)
);
CREATE INDEX support_cases_open ON support_cases (status, created_at);
CREATE INDEX support_cases_order ON support_cases (order_id);

-- Down Migration
DROP TABLE support_cases;
