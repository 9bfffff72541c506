-- spm.maintain_deal_summary: a trigger keeps a table of daily deal summaries equal to the
-- summaries recomputed from the deals, through every kind of change; bad trigger arguments.
-- (Concurrent writers: test/live/run.)
\set SHOW_CONTEXT never
CREATE SCHEMA live;          -- apart from the tables other files leave behind
SET search_path = live;
CREATE TABLE deals (deal_id int PRIMARY KEY, rep_id int NOT NULL, created date NOT NULL,
                    amount numeric NOT NULL, won boolean, close_date date);
CREATE TABLE deal_daily (day date, rep_id int, summary spm.deal_summary NOT NULL,
                         PRIMARY KEY (day, rep_id));
CREATE TRIGGER deal_daily_current AFTER INSERT OR UPDATE OR DELETE ON deals
FOR EACH ROW EXECUTE FUNCTION spm.maintain_deal_summary(
    'deal_daily', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date');
-- the maintained table, and the rows where it differs from a recomputation (none)
CREATE VIEW differs AS
  WITH kept AS (SELECT day, rep_id, summary::text AS s FROM deal_daily),
       fresh AS (SELECT created AS day, rep_id, spm.deal_summary(won, amount, close_date - created)::text AS s
                 FROM deals GROUP BY created, rep_id)
  SELECT 'kept only' AS side, * FROM (TABLE kept EXCEPT TABLE fresh) a
  UNION ALL SELECT 'recomputed only', * FROM (TABLE fresh EXCEPT TABLE kept) b;

-- inserts: a new day and rep, and another deal of the same day and rep
INSERT INTO deals VALUES (1, 1, '2026-01-05', 12000, NULL, NULL),
                         (2, 1, '2026-01-05', 8000.50, true, '2026-02-01'),
                         (3, 2, '2026-01-06', 5, false, '2026-01-10');
TABLE deal_daily ORDER BY day, rep_id;
TABLE differs;
-- an outcome: the open deal is won
UPDATE deals SET won = true, close_date = '2026-03-01' WHERE deal_id = 1;
SELECT summary FROM deal_daily WHERE day = '2026-01-05' AND rep_id = 1;
-- the won amount of another scale leaves: the sum shows the scale of what is left
UPDATE deals SET won = NULL, close_date = NULL WHERE deal_id = 2;
SELECT summary FROM deal_daily WHERE day = '2026-01-05' AND rep_id = 1;
-- an amount
UPDATE deals SET amount = 12000.125 WHERE deal_id = 1;
SELECT summary FROM deal_daily WHERE day = '2026-01-05' AND rep_id = 1;
-- a move to another rep: both rows change
UPDATE deals SET rep_id = 2 WHERE deal_id = 2;
TABLE deal_daily ORDER BY day, rep_id;
-- a move to another day (and a new summary row), and back
UPDATE deals SET created = '2026-01-07' WHERE deal_id = 3;
TABLE deal_daily ORDER BY day, rep_id;
UPDATE deals SET created = '2026-01-06' WHERE deal_id = 3;
TABLE differs;
-- a change that the summary does not see leaves it as it was (no row version written)
SELECT xmin AS before FROM deal_daily WHERE day = '2026-01-05' AND rep_id = 1 \gset
UPDATE deals SET deal_id = 10 WHERE deal_id = 1;
SELECT xmin = :'before' AS untouched FROM deal_daily WHERE day = '2026-01-05' AND rep_id = 1;
-- an upsert (INSERT ... ON CONFLICT DO UPDATE fires the update trigger)
INSERT INTO deals VALUES (10, 3, '2026-01-09', 700, false, '2026-01-20')
ON CONFLICT (deal_id) DO UPDATE SET rep_id = EXCLUDED.rep_id, created = EXCLUDED.created,
    amount = EXCLUDED.amount, won = EXCLUDED.won, close_date = EXCLUDED.close_date;
TABLE differs;
-- deletes: the last deal of a day and rep takes its row with it
DELETE FROM deals WHERE deal_id = 10;
TABLE deal_daily ORDER BY day, rep_id;
-- statements of many rows: 300 deals in, a third closed, moved across reps, half deleted
INSERT INTO deals SELECT i, 1 + i % 5, date '2026-02-01' + i % 9, round(i * 1.37, i % 4), NULL, NULL
FROM generate_series(100, 399) i;
UPDATE deals SET won = (deal_id % 2 = 0), close_date = created + deal_id % 30 WHERE deal_id % 3 = 0;
UPDATE deals SET rep_id = 1 + (rep_id + deal_id) % 5 WHERE deal_id >= 100;
DELETE FROM deals WHERE deal_id % 2 = 1;
SELECT count(*) AS summary_rows, (SELECT count(*) FROM deals) AS deals FROM deal_daily;
TABLE differs;
-- a rollback undoes the summary with the deals
BEGIN;
DELETE FROM deals;
SELECT count(*) AS rows_in_transaction FROM deal_daily;
ROLLBACK;
TABLE differs;
-- whatever the search_path: nothing resolves through it
SET search_path = pg_temp;
UPDATE live.deals SET amount = amount + 0.5 WHERE deal_id = 2;
SET search_path = live;
TABLE differs;
-- a change the summary refuses (a negative cycle) is refused, and nothing changes
UPDATE deals SET close_date = created - 1, won = true WHERE deal_id = 2;
TABLE differs;

-- a writer that owns nothing, granted the deals and the summary table
CREATE ROLE regress_spm_writer;
GRANT USAGE ON SCHEMA live TO regress_spm_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON deals, deal_daily TO regress_spm_writer;
SET ROLE regress_spm_writer;
INSERT INTO deals VALUES (500, 4, '2026-01-05', 1.5, true, '2026-01-06');
UPDATE deals SET rep_id = 5 WHERE deal_id = 500;
RESET ROLE;
TABLE differs;
DROP OWNED BY regress_spm_writer;
DROP ROLE regress_spm_writer;

-- partitioned deals: a day and rep's deals span partitions (here by outcome), and a deal
-- that changes outcome moves between them (a delete and an insert)
CREATE TABLE parted (deal_id int, rep_id int NOT NULL, created date NOT NULL, amount numeric NOT NULL,
                     won boolean, close_date date) PARTITION BY LIST (won);
CREATE TABLE parted_won PARTITION OF parted FOR VALUES IN (true);
CREATE TABLE parted_lost PARTITION OF parted FOR VALUES IN (false);
CREATE TABLE parted_open PARTITION OF parted DEFAULT;
CREATE TABLE parted_daily (day date, rep_id int, summary spm.deal_summary, PRIMARY KEY (day, rep_id));
CREATE TRIGGER parted_daily AFTER INSERT OR UPDATE OR DELETE ON parted
FOR EACH ROW EXECUTE FUNCTION spm.maintain_deal_summary(
    'parted_daily', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date');
INSERT INTO parted VALUES (1, 1, '2026-01-05', 100, NULL, NULL), (2, 1, '2026-01-05', 200, true, '2026-01-09'),
                          (3, 1, '2026-01-05', 300, false, '2026-01-15');
UPDATE parted SET won = true, close_date = '2026-01-20' WHERE deal_id = 1;
TABLE parted_daily;
SELECT spm.deal_summary(won, amount, close_date - created) AS recomputed FROM parted;

-- a summary table in another schema, named with it
CREATE SCHEMA rollups;
CREATE TABLE rollups.daily (d date, rep int, s spm.deal_summary, UNIQUE (rep, d));
CREATE TRIGGER rollups_daily AFTER INSERT OR UPDATE OR DELETE ON deals
FOR EACH ROW EXECUTE FUNCTION spm.maintain_deal_summary(
    'rollups.daily', 'd', 'rep', 's', 'created', 'rep_id', 'won', 'amount', 'close_date');
INSERT INTO deals VALUES (1000, 7, '2026-03-01', 99.9, NULL, NULL);
TABLE rollups.daily;
DROP TRIGGER rollups_daily ON deals;

-- bad trigger arguments and uses: each refused when the trigger fires
CREATE TABLE bad_deals (LIKE deals);
CREATE TABLE no_key (day date, rep_id int, summary spm.deal_summary);
CREATE TABLE text_reps (day date, rep_id text PRIMARY KEY, summary spm.deal_summary, UNIQUE (day, rep_id));
CREATE TABLE wrong_summary (day date, rep_id int, summary text, PRIMARY KEY (day, rep_id));
CREATE FUNCTION try(args text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP TRIGGER IF EXISTS bad ON bad_deals;
    EXECUTE format('CREATE TRIGGER bad AFTER INSERT OR UPDATE OR DELETE ON bad_deals FOR EACH ROW
                    EXECUTE FUNCTION spm.maintain_deal_summary(%s)', args);
    INSERT INTO bad_deals VALUES (1, 1, '2026-01-01', 10, NULL, NULL);
END $$;
SET client_min_messages = warning;
SELECT try($$'deal_daily', 'day', 'rep_id', 'summary'$$);
SELECT try($$'nowhere', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date'$$);
SELECT try($$'rollups.nowhere', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date'$$);
SELECT try($$'deal_daily', 'day', 'rep', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date'$$);
SELECT try($$'deal_daily', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'closed'$$);
SELECT try($$'deal_daily', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'close_date', 'amount'$$);
SELECT try($$'wrong_summary', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date'$$);
SELECT try($$'text_reps', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date'$$);
SELECT try($$'no_key', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date'$$);
CREATE TABLE null_deals (deal_id int, rep_id int, created date, amount numeric, won boolean, close_date date);
CREATE TABLE null_daily (day date, rep_id int, summary spm.deal_summary, PRIMARY KEY (day, rep_id));
CREATE TRIGGER null_daily AFTER INSERT ON null_deals FOR EACH ROW EXECUTE FUNCTION spm.maintain_deal_summary(
    'null_daily', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date');
INSERT INTO null_deals VALUES (1, NULL, '2026-01-01', 10, NULL, NULL);
CREATE TRIGGER too_early BEFORE INSERT ON null_deals FOR EACH ROW EXECUTE FUNCTION spm.maintain_deal_summary(
    'null_daily', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date');
INSERT INTO null_deals VALUES (1, 1, '2026-01-01', 10, NULL, NULL);
DROP TRIGGER too_early ON null_deals;
CREATE TRIGGER per_statement AFTER INSERT ON null_deals EXECUTE FUNCTION spm.maintain_deal_summary(
    'null_daily', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date');
INSERT INTO null_deals VALUES (1, 1, '2026-01-01', 10, NULL, NULL);
RESET client_min_messages;
RESET search_path;
DROP SCHEMA rollups, live CASCADE;
-- deals without a rep from before the trigger can still be corrected and deleted
CREATE TABLE keyless_deals (deal_id int, rep_id int, created date, amount numeric, won boolean, close_date date);
CREATE TABLE keyless_daily (day date, rep_id int, summary spm.deal_summary, PRIMARY KEY (day, rep_id));
INSERT INTO keyless_deals VALUES (1, NULL, '2026-01-01', 10, NULL, NULL), (2, NULL, '2026-01-01', 20, NULL, NULL);
CREATE TRIGGER keyless_daily AFTER INSERT OR UPDATE OR DELETE ON keyless_deals FOR EACH ROW
    EXECUTE FUNCTION spm.maintain_deal_summary('keyless_daily', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date');
UPDATE keyless_deals SET rep_id = 1 WHERE deal_id = 1;
DELETE FROM keyless_deals WHERE deal_id = 2;
TABLE keyless_daily;
UPDATE keyless_deals SET rep_id = NULL WHERE deal_id = 1;
DROP TABLE keyless_deals, keyless_daily;
-- under row-level security a recomputation sees only the writer's rows: refused, not summed
DROP ROLE IF EXISTS regress_spm_writer;
CREATE ROLE regress_spm_writer;
CREATE TABLE rls_deals (deal_id int, owner name DEFAULT current_user, rep_id int, created date, amount numeric, won boolean, close_date date);
CREATE TABLE rls_daily (day date, rep_id int, summary spm.deal_summary, PRIMARY KEY (day, rep_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON rls_deals, rls_daily TO regress_spm_writer;
ALTER TABLE rls_deals ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_deals ON rls_deals USING (owner = current_user);
CREATE TRIGGER rls_daily AFTER INSERT OR UPDATE OR DELETE ON rls_deals FOR EACH ROW
    EXECUTE FUNCTION spm.maintain_deal_summary('rls_daily', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date');
INSERT INTO rls_deals (deal_id, rep_id, created, amount) VALUES (1, 7, '2026-01-01', 100);
SET ROLE regress_spm_writer;
INSERT INTO rls_deals (deal_id, rep_id, created, amount) VALUES (2, 7, '2026-01-01', 50);
RESET ROLE;
TABLE rls_daily;
DROP TABLE rls_deals, rls_daily;
DROP ROLE regress_spm_writer;
-- reps compared as the summary's key compares them: a citext rep counts 'Ann' and 'ann' as one
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TABLE ci_deals (deal_id int, rep citext, created date, amount numeric, won boolean, close_date date);
CREATE TABLE ci_daily (day date, rep citext, summary spm.deal_summary, PRIMARY KEY (day, rep));
CREATE TRIGGER ci_daily AFTER INSERT OR UPDATE OR DELETE ON ci_deals FOR EACH ROW
    EXECUTE FUNCTION spm.maintain_deal_summary('ci_daily', 'day', 'rep', 'summary', 'created', 'rep', 'won', 'amount', 'close_date');
INSERT INTO ci_deals VALUES (1, 'Ann', '2026-01-01', 100, NULL, NULL);
INSERT INTO ci_deals VALUES (2, 'ann', '2026-01-01', 50, NULL, NULL);
UPDATE ci_deals SET rep = 'ANN' WHERE deal_id = 1;
TABLE ci_daily;
DELETE FROM ci_deals WHERE deal_id = 2;
TABLE ci_daily;
DROP TABLE ci_deals, ci_daily;
DROP EXTENSION citext;
