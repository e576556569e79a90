-- Up Migration
-- Platform delivery ids (WhatsApp message ids, Slack event ids) seen by any instance, so a
-- delivery retried or sent to two instances is handled once. Rows older than two days are
-- pruned by the store.
CREATE TABLE deliveries (
  id text PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_at ON deliveries (at);

-- Down Migration
DROP TABLE deliveries;
