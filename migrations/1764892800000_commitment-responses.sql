-- Up Migration
-- The staff's response to the public consultation, per draft commitment (one, replaced when edited).
CREATE TABLE commitment_responses (
  commitment_id text PRIMARY KEY,
  text text NOT NULL,
  at timestamptz NOT NULL,
  by_actor text NOT NULL
);

-- Down Migration
DROP TABLE commitment_responses;
