-- test/data/company.sql -- deterministic generated sample company (schema demo)
--
--   psql -v n_deals=100000 -f test/data/company.sql
--
-- No random(): every pseudo-random value is derived from hashint8extended(i, seed),
-- so the same n_deals always produces exactly the same data.
--
-- Tables:
--   demo.regions  (3)            region_id, name
--   demo.managers (6)            manager_id, name, region_id
--   demo.reps     (40)           rep_id, name, manager_id, region_id, hire_date
--   demo.quotas   (40)           rep_id, year (2026), quota numeric(14,2) (annual)
--   demo.deals    (:n_deals)     deal_id, rep_id, amount, created, close_date,
--                                outcome ('won'/'lost'/'open'), won (NULL when open),
--                                quota = the rep's annual 2026 quota spread evenly over
--                                        the rep's expected number of deals
--                                        (quota * 40 / n_deals); for benchmarks.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?n_deals}
\else
\set n_deals 5000
\endif

DROP SCHEMA IF EXISTS demo CASCADE;
CREATE SCHEMA demo;

CREATE TABLE demo.regions (
    region_id int PRIMARY KEY,
    name      text NOT NULL
);
INSERT INTO demo.regions VALUES (1, 'North'), (2, 'South'), (3, 'West');

CREATE TABLE demo.managers (
    manager_id int PRIMARY KEY,
    name       text NOT NULL,
    region_id  int NOT NULL REFERENCES demo.regions
);
INSERT INTO demo.managers VALUES
    (1, 'Alice Moreau',  1), (2, 'Bruno Keller', 1),
    (3, 'Chloe Nakamura', 2), (4, 'Dmitri Volkov', 2),
    (5, 'Esther Adeyemi', 3), (6, 'Farid Haddad',  3);

CREATE TABLE demo.reps (
    rep_id     int PRIMARY KEY,
    name       text NOT NULL,
    manager_id int NOT NULL REFERENCES demo.managers,
    region_id  int NOT NULL REFERENCES demo.regions,
    hire_date  date NOT NULL
);
INSERT INTO demo.reps
SELECT r,
       (ARRAY['Ada','Ben','Cleo','Dan','Eva','Finn','Gia','Hugo','Ines','Jon'])[1 + (r - 1) % 10]
         || ' ' ||
       (ARRAY['Smith','Lopez','Chen','Okafor'])[1 + (r - 1) / 10],
       m.manager_id,
       m.region_id,
       date '2018-01-01' + ((hashint8extended(r, 11) & 2147483647) % 2900)::int
FROM generate_series(1, 40) AS r
JOIN demo.managers m ON m.manager_id = 1 + (r - 1) % 6;

CREATE TABLE demo.quotas (
    rep_id int NOT NULL REFERENCES demo.reps,
    year   int NOT NULL,
    quota  numeric(14,2) NOT NULL,
    PRIMARY KEY (rep_id, year)
);
-- annual quota scales with the data size: a rep gets ~n_deals/40 deals, 40 % are won,
-- ~80 % of those close in 2026, mean amount ~31,000 => expected 2026 won value per rep
-- ~ 250 * n_deals.  Quotas are 60 %..140 % of that (so attainment varies around 100 %),
-- rounded to 1,000.
INSERT INTO demo.quotas
SELECT rep_id, 2026,
       greatest(1000, round((:n_deals::numeric * 250)
                            * (60 + (hashint8extended(rep_id, 12) & 2147483647) % 81) / 100,
                            -3))
FROM demo.reps;

CREATE TABLE demo.deals (
    deal_id    bigint NOT NULL,
    rep_id     int NOT NULL,
    amount     numeric(12,2) NOT NULL,
    created    date NOT NULL,
    close_date date,                 -- NULL while open
    outcome    text NOT NULL CHECK (outcome IN ('won', 'lost', 'open')),
    won        boolean,              -- NULL while open
    quota      numeric(12,2) NOT NULL
);

-- h1: rep, h2: amount, h3: created, h4: days to close, h5: outcome
INSERT INTO demo.deals
SELECT i,
       h.rep_id,
       h.amount,
       h.created,
       CASE WHEN h.o < 85 THEN h.created + h.days END,
       CASE WHEN h.o < 40 THEN 'won' WHEN h.o < 85 THEN 'lost' ELSE 'open' END,
       CASE WHEN h.o < 40 THEN true WHEN h.o < 85 THEN false END,
       round(q.quota * 40 / :n_deals, 2)
FROM generate_series(1::bigint, :n_deals::bigint) AS i,
LATERAL (SELECT 1 + ((hashint8extended(i, 1) & 2147483647) % 40)::int             AS rep_id,
                -- skewed amounts 500 .. ~100,000, mean ~31,000
                round(500 + ((hashint8extended(i, 2) & 2147483647) % 99500)
                          * (0.25 + ((hashint8extended(i, 2) >> 40) & 255) / 340.0), 2) AS amount,
                date '2025-10-01' + ((hashint8extended(i, 3) & 2147483647) % 450)::int AS created,
                (7 + (hashint8extended(i, 4) & 2147483647) % 120)::int             AS days,
                (hashint8extended(i, 5) & 2147483647) % 100                         AS o
        ) AS h
JOIN demo.quotas q ON q.rep_id = h.rep_id AND q.year = 2026;

ALTER TABLE demo.deals ADD PRIMARY KEY (deal_id);
ANALYZE demo.regions, demo.managers, demo.reps, demo.quotas, demo.deals;
