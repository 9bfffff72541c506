-- input checks (src/checks.sql): what a user sees - the problems with their messages, the
-- errors with DETAIL and HINT - on tables with awkward names, temporary tables, views, and
-- under a hostile search_path
\set SHOW_CONTEXT never
SET client_min_messages = warning;
CREATE SCHEMA "Sales Ops";
CREATE TABLE "Sales Ops"."Deals" ("Deal Id" text, "Rep" int, "Amount" numeric(12,2), "Opened" timestamptz,
                                  "Closed" timestamptz, "Won?" boolean, share float8, stage text);
INSERT INTO "Sales Ops"."Deals" VALUES
  ('A-1', 1, 100, '2026-01-01 09:00+00', '2026-01-01 08:00+00', true, 1, 'Won'),
  ('A-2', 1, -5, '2026-01-01 09:00+00', '2026-01-02 08:00+00', true, 1, 'Won'),
  ('A-2', 2, 7, '2026-01-01 09:00+00', NULL, NULL, 1, 'Open'),
  (NULL, 2, NULL, '2026-01-01 09:00+00', '2026-01-03 08:00+00', true, 1, 'Won'),
  (NULL, 3, 0, '2026-01-01 09:00+00', '2026-01-03 08:00+00', false, 1, 'Lost');

-- quoted names everywhere; a timestamptz close an hour before the creation
SELECT * FROM spm.check_duplicate_keys('"Sales Ops"."Deals"', 'Deal Id');
SELECT * FROM spm.check_close_before_create('"Sales Ops"."Deals"', 'Deal Id', 'Opened', 'Closed');
SELECT * FROM spm.check_won_amounts('"Sales Ops"."Deals"', 'Deal Id', 'Amount', 'Won?');
-- won_column => NULL: every row is won
SELECT code, key FROM spm.check_won_amounts('"Sales Ops"."Deals"', 'Deal Id', 'Amount', NULL);

-- a temporary table, and a view that turns a stage into a won flag
CREATE TEMP TABLE reps (rep_id int);
INSERT INTO reps VALUES (1);
CREATE TEMP VIEW deals_won AS SELECT "Deal Id" AS deal_id, "Rep" AS rep_id, "Amount" AS amount, stage = 'Won' AS won
FROM "Sales Ops"."Deals";
SELECT * FROM spm.check_references('deals_won', 'rep_id', 'reps');
SELECT code, key FROM spm.check_references('deals_won', 'rep_id', 'reps', allow_null => true) ORDER BY key;
CREATE TEMP TABLE quotas (rep_id bigint, quota numeric);
INSERT INTO quotas VALUES (1, NULL), (1, 5000), (2, -1), (2, NULL);
-- rep 1 has a quota above zero among its rows; rep 2 none; reps are int here and bigint there
SELECT * FROM spm.check_credit_without_quota('deals_won', 'quotas');

-- shares: exact sums, one row per deal, the first problem of a deal wins
CREATE TEMP TABLE splits (deal_id int, share numeric);
INSERT INTO splits VALUES (1, 0.5), (1, 0.5), (2, 0.3333), (2, 0.3333), (2, 0.3333), (3, 1.2), (3, -0.2),
                          (4, NULL), (4, 2), (5, 1), (6, 0), (6, 1), (NULL, 0.5);
SELECT * FROM spm.check_split_shares('splits');

-- assignments: tstzrange with inclusive bounds; touching at an inclusive point overlaps
CREATE TEMP TABLE assignments (rep_id int, valid tstzrange);
SET timezone = 'UTC';
INSERT INTO assignments VALUES (1, '[2026-01-01,2026-02-01]'), (1, '[2026-02-01,2026-03-01)'),
                               (2, '[2026-01-01,2026-02-01)'), (2, '[2026-02-01,2026-03-01)'),
                               (3, '(,)'), (3, 'empty'), (3, '[2026-05-01,2026-06-01)'), (4, NULL);
SELECT * FROM spm.check_overlapping_assignments('assignments');

-- list prices: the threshold is a strict bound; unknown and twice-listed products are left out
CREATE TEMP TABLE products (product text, list_price numeric);
INSERT INTO products VALUES ('a', 100), ('b', 100), ('b', 90), ('c', 0);
CREATE TEMP TABLE sold (deal_id int, product text, amount numeric, won boolean);
INSERT INTO sold VALUES (1, 'a', 80, true), (2, 'a', 79.99, true), (3, 'a', 120.01, true), (4, 'b', 10, true),
                        (5, 'c', 10, true), (6, 'z', 10, true), (7, 'a', 1, false), (8, 'a', NULL, true);
SELECT * FROM spm.check_list_prices('sold', 'products', 0.2);
SELECT code, key FROM spm.check_list_prices('sold', 'products', 0);

-- a hostile search_path changes nothing: the checks run with pg_catalog's operators
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.eq_always(int, int) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR hostile.= (LEFTARG = int, RIGHTARG = int, FUNCTION = hostile.eq_always);
SET search_path = hostile, public;
SELECT code, key FROM spm.check_references('deals_won', 'rep_id', 'reps');
RESET search_path;

-- bad arguments
SELECT * FROM spm.check_split_shares('splits', 'deal');
SELECT * FROM spm.check_split_shares('"Sales Ops"."Deals"', 'Deal Id', 'share');
SELECT * FROM spm.check_won_amounts('"Sales Ops"."Deals"', 'Deal Id', 'Amount', 'stage');
SELECT * FROM spm.check_close_before_create('"Sales Ops"."Deals"', 'Deal Id', 'Amount', 'Closed');
SELECT * FROM spm.check_duplicate_keys(NULL);
SELECT * FROM spm.check_duplicate_keys('splits', NULL);
SELECT * FROM spm.check_references('splits', 'deal_id', 'reps', 'rep_id', 'deal_id', NULL);
SELECT * FROM spm.check_list_prices('sold', 'products', -0.1);
SELECT * FROM spm.check_list_prices('sold', 'products', 'NaN');
SELECT * FROM spm.check_duplicate_keys('no_such_table');
SELECT * FROM spm.check_inputs(NULL);
-- a NaN or infinite won amount (which spm.commission refuses) is reported, not passed
CREATE TEMP TABLE unbounded_deals (deal_id int, amount numeric, won boolean);
INSERT INTO unbounded_deals VALUES (1, 'NaN', true), (2, 'Infinity', true), (3, '-Infinity', true),
                                   (4, 10, true), (5, 'NaN', false);
SELECT * FROM spm.check_won_amounts('unbounded_deals');
DROP TABLE unbounded_deals;
-- a NaN or infinite quota is no quota to divide attainment by
CREATE TEMP TABLE unbounded_credits (rep_id int, won boolean);
INSERT INTO unbounded_credits VALUES (1, true), (2, true), (3, true);
CREATE TEMP TABLE unbounded_quotas (rep_id int, quota numeric);
INSERT INTO unbounded_quotas VALUES (1, 'NaN'), (2, 'Infinity'), (3, 100), (3, 'NaN');
SELECT code, key FROM spm.check_credit_without_quota('unbounded_credits', 'unbounded_quotas');
DROP TABLE unbounded_credits, unbounded_quotas;
-- one row without a key is "a row", not "1 rows"
CREATE TEMP TABLE one_keyless (deal_id int);
INSERT INTO one_keyless VALUES (1), (NULL), (2);
SELECT code, key, message FROM spm.check_duplicate_keys('one_keyless');
DROP TABLE one_keyless;
-- references compare with the column type's own equality: citext's 'Ann' is 'ann'
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TEMP TABLE ci_reps (rep_id citext);
INSERT INTO ci_reps VALUES ('ann'), ('Bob');
CREATE TEMP TABLE ci_deals (deal_id int, rep_id citext);
INSERT INTO ci_deals VALUES (1, 'Ann'), (2, 'ann'), (3, 'BOB'), (4, 'Cy');
SELECT code, key FROM spm.check_references('ci_deals', 'rep_id', 'ci_reps');
CREATE TEMP TABLE ci_quotas (rep_id citext, quota numeric);
INSERT INTO ci_quotas VALUES ('ann', 100), ('BOB', 0);
SELECT code, key FROM spm.check_credit_without_quota('ci_deals', 'ci_quotas', won_column => NULL);
CREATE TEMP TABLE ci_products (product citext, list_price numeric);
INSERT INTO ci_products VALUES ('Widget', 100);
CREATE TEMP TABLE ci_sold (deal_id int, product citext, amount numeric);
INSERT INTO ci_sold VALUES (1, 'widget', 50), (2, 'WIDGET', 100);
SELECT code, key FROM spm.check_list_prices('ci_sold', 'ci_products', 0.2, won_column => NULL);
DROP TABLE ci_reps, ci_deals, ci_quotas, ci_products, ci_sold;
DROP EXTENSION citext;
-- an assignment without a rep is reported as such, not as overlapping other rep-less ones
CREATE TEMP TABLE repless (rep_id int, valid daterange);
INSERT INTO repless VALUES (NULL, '[2026-01-01,2026-04-01)'), (NULL, '[2026-02-01,2026-03-01)'), (NULL, NULL),
                           (1, '[2026-01-01,2026-04-01)'), (1, '[2026-03-01,2026-05-01)');
SELECT * FROM spm.check_overlapping_assignments('repless');
DROP TABLE repless;
-- a NaN or infinite price or list price is reported as such, not as a percentage off the list
CREATE TEMP TABLE unbounded_products (product text, list_price numeric);
INSERT INTO unbounded_products VALUES ('a', 100), ('n', 'NaN'), ('i', 'Infinity');
CREATE TEMP TABLE unbounded_sold (deal_id int, product text, amount numeric);
INSERT INTO unbounded_sold VALUES (1, 'a', 'NaN'), (2, 'a', 'Infinity'), (3, 'a', '-Infinity'), (4, 'a', 100),
                                  (5, 'n', 100), (6, 'i', 100), (7, 'n', 'NaN'), (8, 'a', 50);
SELECT * FROM spm.check_list_prices('unbounded_sold', 'unbounded_products', 0.2, won_column => NULL);
DROP TABLE unbounded_products, unbounded_sold;
