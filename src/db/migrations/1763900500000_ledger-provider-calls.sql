-- Up Migration

-- Neither SendGrid nor Twilio takes an idempotency key, so a worker that dies (or a call that times out) after the
-- provider accepted a message but before the ledger said "sent" leaves the outcome unknown; the retry then sends again.
-- The ledger marks every provider call before it starts and clears the mark when an answer comes, so a retry knows a
-- previous attempt's outcome is unknown, counts it, and the message shows it (a possible duplicate, explained).
--   provider_call_started_at  set before the provider call; cleared on an answer (accepted or refused)
--   uncertain_attempts         how many attempts ended without an answer (each a possible duplicate send)
ALTER TABLE message_ledger
  ADD COLUMN provider_call_started_at timestamptz,
  ADD COLUMN uncertain_attempts integer NOT NULL DEFAULT 0;

-- Down Migration

ALTER TABLE message_ledger DROP COLUMN provider_call_started_at, DROP COLUMN uncertain_attempts;
