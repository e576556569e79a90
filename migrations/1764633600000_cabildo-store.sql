-- Up Migration
-- Cabildo's store in PostgreSQL: the same records as the JSON store (src/store/port.ts).
-- Proposals keep their whole record as JSON (the shape the engine reads) beside the columns
-- that queries filter and order by; every other record has columns of its own.

CREATE TABLE proposals (
  id text PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  user_key text,
  status text NOT NULL,
  dialog_id text UNIQUE,
  doc jsonb NOT NULL
);
CREATE INDEX proposals_user_key ON proposals (user_key);
CREATE INDEX proposals_status ON proposals (status);

-- Last tracking number issued, per year; the row lock makes numbers sequential under concurrency.
CREATE TABLE counters (
  year integer PRIMARY KEY,
  last integer NOT NULL
);

CREATE TABLE sessions (
  user_key text PRIMARY KEY,
  state jsonb NOT NULL
);

-- A notice is the JSON the engine words; `dedupe` keeps `store migrate` idempotent.
CREATE TABLE notices (
  id bigserial PRIMARY KEY,
  user_key text NOT NULL,
  body jsonb NOT NULL,
  dedupe text UNIQUE
);
CREATE INDEX notices_user_key ON notices (user_key);

CREATE TABLE audit (
  id bigserial PRIMARY KEY,
  entry jsonb NOT NULL,
  dedupe text UNIQUE
);

CREATE TABLE opinions (
  user_key text NOT NULL,
  commitment_id text NOT NULL,
  seq bigserial NOT NULL,
  vote text NOT NULL,
  comment text,
  at timestamptz NOT NULL,
  PRIMARY KEY (user_key, commitment_id)
);
CREATE INDEX opinions_commitment ON opinions (commitment_id, seq);

CREATE TABLE priorities (
  user_key text PRIMARY KEY,
  commitment_id text NOT NULL,
  seq bigserial NOT NULL,
  at timestamptz NOT NULL
);

CREATE TABLE invited (
  proposal_id text PRIMARY KEY
);

CREATE TABLE signups (
  code text PRIMARY KEY,
  seq bigserial NOT NULL,
  table_id text NOT NULL,
  user_key text NOT NULL,
  doc jsonb NOT NULL,
  UNIQUE (user_key, table_id)
);
CREATE INDEX signups_table ON signups (table_id, seq);

-- Down Migration
DROP TABLE signups, invited, priorities, opinions, audit, notices, sessions, counters, proposals;
