-- Up Migration
-- One person under several identifiers (WhatsApp's phone number and business-scoped user id):
-- the keyed hash of each identifier → the key the person's records are under. Hashes only.
CREATE TABLE person_links (
  key text PRIMARY KEY,
  person text NOT NULL
);
CREATE INDEX person_links_person ON person_links (person);

-- When each person on a channel that can write first last wrote (WhatsApp's 24-hour window),
-- and where to write back, sealed (AES-256-GCM with a key derived from CABILDO_SECRET).
CREATE TABLE reach (
  user_key text PRIMARY KEY,
  last_inbound timestamptz NOT NULL,
  address text NOT NULL
);

-- Down Migration
DROP TABLE reach, person_links;
