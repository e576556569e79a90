-- Up Migration
-- Comments on the draft get a public number per commitment ("C3:12") so staff can hide one,
-- with the reason shown in its place; the channel lets the moderation notice reach its author.
ALTER TABLE opinions ADD COLUMN comment_no integer, ADD COLUMN channel text, ADD COLUMN hidden jsonb;
CREATE UNIQUE INDEX opinions_comment_no ON opinions (commitment_id, comment_no) WHERE comment_no IS NOT NULL;
-- Numbers are never reused, even after a comment is erased: a published reference keeps meaning one comment.
CREATE TABLE comment_counters (
  commitment_id text PRIMARY KEY,
  last integer NOT NULL
);
-- Comments already written get their numbers, oldest first, so staff can moderate them too.
UPDATE opinions SET comment_no = numbered.n
FROM (SELECT user_key, commitment_id, row_number() OVER (PARTITION BY commitment_id ORDER BY at, seq) AS n FROM opinions WHERE comment IS NOT NULL) AS numbered
WHERE opinions.user_key = numbered.user_key AND opinions.commitment_id = numbered.commitment_id;
INSERT INTO comment_counters (commitment_id, last) SELECT commitment_id, max(comment_no) FROM opinions WHERE comment_no IS NOT NULL GROUP BY commitment_id;

-- A number that changes whenever something the public results show changes, so every instance
-- can cache its rendered pages and files and know when to drop them. Bumped by a deferred
-- trigger, at commit time, once per transaction: taking the row lock last cannot deadlock with
-- the row locks a transaction already holds, and readers see the new number with the new data.
CREATE TABLE results_revision (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  n bigint NOT NULL
);
INSERT INTO results_revision (n) VALUES (0);
CREATE FUNCTION bump_results_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('cabildo.results_bumped', true) IS DISTINCT FROM txid_current()::text THEN
    PERFORM set_config('cabildo.results_bumped', txid_current()::text, true);
    UPDATE results_revision SET n = n + 1;
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER proposals_results AFTER INSERT OR UPDATE OR DELETE ON proposals DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_results_revision();
CREATE CONSTRAINT TRIGGER opinions_results AFTER INSERT OR UPDATE OR DELETE ON opinions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_results_revision();
CREATE CONSTRAINT TRIGGER priorities_results AFTER INSERT OR UPDATE OR DELETE ON priorities DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_results_revision();
CREATE CONSTRAINT TRIGGER responses_results AFTER INSERT OR UPDATE OR DELETE ON commitment_responses DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_results_revision();

-- Down Migration
DROP TRIGGER responses_results ON commitment_responses;
DROP TRIGGER priorities_results ON priorities;
DROP TRIGGER opinions_results ON opinions;
DROP TRIGGER proposals_results ON proposals;
DROP FUNCTION bump_results_revision();
DROP TABLE results_revision;
DROP TABLE comment_counters;
DROP INDEX opinions_comment_no;
ALTER TABLE opinions DROP COLUMN comment_no, DROP COLUMN channel, DROP COLUMN hidden;
