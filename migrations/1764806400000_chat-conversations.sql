-- Up Migration
-- The web chat's Direct Line conversations, so any instance can serve any conversation: one
-- live token each, and the activity stream whose indexes are the clients' watermarks.
CREATE TABLE chat_conversations (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  started boolean NOT NULL DEFAULT false,
  token text UNIQUE,
  token_expires timestamptz,
  last_seen timestamptz NOT NULL,
  -- Activities ever appended: the next index, and the watermark of a client that has seen all.
  appended integer NOT NULL DEFAULT 0
);
CREATE INDEX chat_conversations_last_seen ON chat_conversations (last_seen);

CREATE TABLE chat_activities (
  conversation_id text NOT NULL REFERENCES chat_conversations (id) ON DELETE CASCADE,
  idx integer NOT NULL,
  activity jsonb NOT NULL,
  PRIMARY KEY (conversation_id, idx)
);

-- Down Migration
DROP TABLE chat_activities, chat_conversations;
