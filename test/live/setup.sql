-- test/live/setup.sql: the database of test/live/run (database "sales"): deals whose daily
-- summaries spm.maintain_deal_summary keeps (doc/pipeline.md), and the pipeline snapshots of
-- doc/forecast.md's pg_cron recipe (its lines are lines here: test/live/run checks that).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION spm;

CREATE TABLE deals (
    deal_id    int PRIMARY KEY,
    rep_id     int NOT NULL,
    created    date NOT NULL,
    amount     numeric NOT NULL,       -- any scale: summaries show the largest, as sum() does
    won        boolean,                -- NULL: open
    close_date date                    -- the day it closed; for open deals, NULL
);
CREATE INDEX ON deals (rep_id, created);
CREATE TABLE deal_daily (day date, rep_id int, summary spm.deal_summary NOT NULL,
                         PRIMARY KEY (day, rep_id));
CREATE TRIGGER deal_daily_current AFTER INSERT OR UPDATE OR DELETE ON deals
FOR EACH ROW EXECUTE FUNCTION spm.maintain_deal_summary(
    'deal_daily', 'day', 'rep_id', 'summary',
    'created', 'rep_id', 'won', 'amount', 'close_date');

-- 2,000 deals of 4 reps over 10 days: 40 summary rows that 8 writers fight over
INSERT INTO deals
SELECT i, 1 + i % 4, date '2026-01-01' + i % 10, round(i * 7.31, i % 3),
       CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN true ELSE false END,
       CASE WHEN i % 3 > 0 THEN date '2026-01-01' + i % 10 + i % 40 END
FROM generate_series(1, 2000) i;

-- the recipe of doc/forecast.md: a snapshot of the pipeline, taken by pg_cron
CREATE TABLE pipeline_snapshot (
    taken      date NOT NULL,
    deal_id    int NOT NULL,
    status     text NOT NULL,
    amount     numeric NOT NULL,
    close_date date,
    PRIMARY KEY (taken, deal_id)
);
CREATE FUNCTION take_pipeline_snapshot(day date) RETURNS bigint
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    DELETE FROM public.pipeline_snapshot WHERE taken = day;
    INSERT INTO public.pipeline_snapshot
    SELECT day, deal_id, CASE won WHEN true THEN 'won' WHEN false THEN 'lost' ELSE 'open' END,
           amount, close_date
    FROM public.deals;
    SELECT count(*) FROM public.pipeline_snapshot WHERE taken = day;
$$;
