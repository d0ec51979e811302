-- Up Migration

-- Provider failover (issue 12, part 2; docs/failover.md).
--
-- One circuit breaker per messaging provider, shared by every worker (src/db/provider-circuits.ts; the states and
-- their rules are src/domain/provider-circuit.ts). A row is created on a provider's first use; none means closed.
--   state                 closed | open | half_open
--   consecutive_failures  provider faults since its last success (a closed circuit opens at the threshold)
--   opened_at             when it last opened: a probe may go once the open period has passed
--   probe_until           while half-open: until when the current probe holds the one probe slot
CREATE TABLE provider_circuits (
  provider              text PRIMARY KEY,
  state                 text NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'half_open')),
  consecutive_failures  integer NOT NULL DEFAULT 0,
  opened_at             timestamptz,
  probe_until           timestamptz,
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Which provider a message's provider call went to, set before the call. When that call gets no answer, the retry
-- goes to the same provider only: the message may be there already, and another provider could deliver it twice.
-- (message_ledger.provider, set when a provider accepts, names the one that sent the message.)
ALTER TABLE message_ledger ADD COLUMN provider_call_provider text;

-- Down Migration

ALTER TABLE message_ledger DROP COLUMN provider_call_provider;
DROP TABLE provider_circuits;
