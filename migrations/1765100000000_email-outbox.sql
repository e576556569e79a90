-- Up Migration
-- Emails waiting to be sent: a notice (or a work-table sign-up's confirmation) for a person who
-- gave an email address with consent, queued in the transaction that creates it. The address
-- is not kept here: the sender looks it up when it sends. `next_at` is both the retry time and
-- the lease that keeps other instances off an entry being sent (NULL: due at once).
CREATE TABLE email_outbox (
  id bigserial PRIMARY KEY,
  user_key text NOT NULL,
  item jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  queued_at timestamptz NOT NULL DEFAULT now(),
  next_at timestamptz
);
CREATE INDEX email_outbox_user_key ON email_outbox (user_key);

-- Keyed hashes of the email addresses that asked for no more email (never the addresses).
CREATE TABLE email_unsubscribed (
  address_key text PRIMARY KEY,
  at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE email_unsubscribed, email_outbox;
