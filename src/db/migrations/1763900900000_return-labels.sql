-- Up Migration

-- Prepaid return labels, one per RMA (src/activities/return-labels.ts). The provider's shipment id is recorded before
-- the purchase: a retried activity asks the provider about that shipment (bought already? its label) instead of buying
-- again. A refusal is recorded too, and answered as such to every retry.
CREATE TABLE return_labels (
  rma_id          text PRIMARY KEY,
  journey_id      text NOT NULL,
  order_id        text NOT NULL,
  provider        text NOT NULL,
  status          text NOT NULL DEFAULT 'started' CHECK (status IN ('started', 'bought', 'refused')),
  shipment_id     text,
  carrier         text,
  tracking_number text,
  label_url       text,
  tracking_url    text,
  refusal_code    text,
  refusal_reason  text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX return_labels_order ON return_labels (order_id);

-- Down Migration
DROP TABLE return_labels;
