-- Up Migration

-- Every provider webhook event handled so far, by the provider's own event id: a repeat (providers retry, and may
-- deliver one event twice) finds its row and changes nothing.
CREATE TABLE webhook_events (
  provider    text NOT NULL,
  event_id    text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT webhook_events_once UNIQUE (provider, event_id)
);

-- Webhook events that matched no journey or message (an unknown tracking number, a message we never sent, a journey
-- that has ended). Kept, normalized and without personal data, so support can look into them and replay them.
CREATE TABLE unmatched_webhook_events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider    text NOT NULL,
  event_id    text,
  -- Why it matched nothing, e.g. "unknown_tracking_number", "journey_ended", "unknown_message".
  reason      text NOT NULL,
  -- What it was looked up by: the tracking number, or the provider's message id / our ledger id.
  lookup_key  text,
  -- The event as it would have been applied (e.g. the tracking signal's payload).
  event       jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  replayed_at timestamptz
);
CREATE INDEX unmatched_webhook_events_lookup ON unmatched_webhook_events (lookup_key);
CREATE INDEX unmatched_webhook_events_open ON unmatched_webhook_events (received_at) WHERE replayed_at IS NULL;

-- Which order a parcel belongs to, for carrier webhooks that know only the tracking number. Carriers reuse tracking
-- numbers after months: the newest registration wins.
CREATE TABLE parcels (
  tracking_number text NOT NULL,
  carrier         text NOT NULL,
  order_id        text NOT NULL,
  registered_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tracking_number, carrier, order_id)
);
CREATE INDEX parcels_order ON parcels (order_id);

-- Whether a customer's address may receive messages on a channel. One row per (channel, address); no row = never
-- asked, which counts as allowed for transactional messages. Addresses: E.164 phone numbers, lowercased emails.
--   opted_in   the customer asked for messages again (SMS START/YES/UNSTOP)
--   opted_out  the customer or the provider stopped messages (SMS STOP…, a hard bounce, a spam report, Twilio 21610)
--   invalid    the provider says the address cannot receive (Twilio 21211 invalid number, 30006 landline)
CREATE TABLE contact_consent (
  channel    text NOT NULL CHECK (channel IN ('email', 'sms')),
  address    text NOT NULL,
  status     text NOT NULL CHECK (status IN ('opted_in', 'opted_out', 'invalid')),
  -- Who said so, e.g. "twilio:inbound", "sendgrid:bounce", "twilio:21610".
  source     text NOT NULL,
  reason     text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT contact_consent_one_per_address UNIQUE (channel, address)
);

-- Down Migration
DROP TABLE contact_consent;
DROP TABLE parcels;
DROP TABLE unmatched_webhook_events;
DROP TABLE webhook_events;
