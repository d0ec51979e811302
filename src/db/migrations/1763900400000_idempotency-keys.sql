-- Up Migration

-- Support's retried actions (POST …/returns, …/cancel with an Idempotency-Key header). The key is also the Temporal
-- update id, so Temporal answers a retry from the first update while the run lasts; this table adds what Temporal
-- cannot: the body the key was first used with (a different body under the same key is refused with 409), and the
-- final answer, so a retry still gets it after the run has continued as new or the update's result has aged out.
--   action       "return" | "cancel"
--   fingerprint  sha256 of the request body, keys sorted (no personal data: support's request, hashed)
--   status/answer the HTTP status and JSON body of the final answer; NULL while the first request is in flight (or
--                died): a retry then asks Temporal again under the same update id
CREATE TABLE idempotency_keys (
  order_id     text NOT NULL,
  action       text NOT NULL CHECK (action IN ('return', 'cancel')),
  key          text NOT NULL,
  fingerprint  text NOT NULL,
  status       integer,
  answer       jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  answered_at  timestamptz,
  PRIMARY KEY (order_id, action, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE idempotency_keys;
