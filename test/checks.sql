-- pgTAP: input checks (src/checks.sql) on 20,000 generated deals with planted problems: every
-- planted problem is found and nothing else; bad arguments; the labels; and on the CRM
-- dataset when it is loaded, its real quirks and nothing else
BEGIN;
SELECT plan(30);
SET client_min_messages = warning;

-- labels: STABLE, PARALLEL RESTRICTED (a temporary table may be passed), SECURITY INVOKER,
-- search_path pinned, commented, not STRICT (a NULL argument is an error, not an empty result)
SELECT has_type('spm', 'input_problem', 'the input problem is a type');
SELECT is(
  (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'spm'::regnamespace
     AND proname LIKE 'check\_%' AND prorettype = 'spm.input_problem'::regtype AND proretset
     AND provolatile = 's' AND proparallel = 'r' AND NOT prosecdef AND NOT proisstrict
     AND proconfig = '{"search_path=pg_catalog, pg_temp"}'
     AND obj_description(oid, 'pg_proc') IS NOT NULL), 9,
  'the nine checks are set-returning, STABLE, PARALLEL RESTRICTED, SECURITY INVOKER, not STRICT, search_path pinned, commented');

-- generated inputs: products P1..P8 (list 1,000 .. 8,000), reps 1..50, 20,000 deals (won when
-- i % 5 < 2, open when i % 5 = 4) priced within 10 % of list, splits 0.6/0.4 on every tenth
-- deal, a quota for reps 1..46, quarterly plan assignments for 2025
CREATE TEMP TABLE products AS SELECT 'P' || p AS product, 1000 * p::numeric(12,2) AS list_price FROM generate_series(1, 8) p;
CREATE TEMP TABLE reps AS SELECT r AS rep_id FROM generate_series(1, 50) r;
CREATE TEMP TABLE deals AS
SELECT i::bigint AS deal_id, 1 + (i / 5) % 50 AS rep_id, 'P' || (1 + (i / 3) % 8) AS product,
       round(1000 * (1 + (i / 3) % 8) * (0.9 + (i % 21) / 100.0), 2)::numeric(12,2) AS amount,
       date '2025-01-01' + i % 300 AS created,
       CASE WHEN i % 5 < 4 THEN date '2025-01-01' + i % 300 + 1 + i % 90 END AS close_date,
       CASE WHEN i % 5 < 2 THEN true WHEN i % 5 < 4 THEN false END AS won
FROM generate_series(1, 20000) i;
CREATE TEMP TABLE splits AS
SELECT deal_id, rep_id, s.share FROM deals, (VALUES (0.6::numeric(5,4)), (0.4)) s(share) WHERE deal_id % 10 = 0;
CREATE TEMP TABLE quotas AS SELECT rep_id, 400000::numeric(14,2) AS quota FROM reps WHERE rep_id <= 46;
CREATE TEMP TABLE assignments AS
SELECT rep_id, daterange(q::date, (q + interval '3 months')::date) AS valid
FROM reps, generate_series(date '2025-01-01', date '2025-10-01', interval '3 months') q;

-- the planted problems
INSERT INTO deals SELECT * FROM deals WHERE deal_id IN (11, 22, 33);                  -- duplicate keys
INSERT INTO reps VALUES (12);                                                          -- a rep listed twice
UPDATE deals SET close_date = created - 1 WHERE deal_id IN (101, 102, 103, 106, 107);  -- closed before created
UPDATE deals SET amount = 0 WHERE deal_id = 201;                                       -- won for nothing
UPDATE deals SET amount = -50 WHERE deal_id = 205;                                     -- won for less than nothing
ALTER TABLE deals ALTER amount DROP NOT NULL;
UPDATE deals SET amount = NULL WHERE deal_id = 206;                                    -- won, no amount
UPDATE deals SET rep_id = 999 WHERE deal_id IN (303, 304);                             -- unknown rep (lost, open)
UPDATE deals SET rep_id = NULL WHERE deal_id = 308;                                    -- no rep (lost)
UPDATE deals SET product = 'P 1' WHERE deal_id = 401;                                  -- a product spelled two ways
UPDATE deals SET product = 'p2' WHERE deal_id = 402;
UPDATE deals SET product = NULL WHERE deal_id = 403;                                   -- no product
UPDATE deals d SET amount = p.list_price * f.factor                                    -- prices far from list
FROM products p, (VALUES (500, 1.4), (501, 0.5), (510, 0.7),
                         (515, 0.75),                                -- exactly 25 % below: not more than the threshold
                         (503, 0.1)) f(deal_id, factor)              -- lost: not checked
WHERE d.deal_id = f.deal_id AND p.product = d.product;
UPDATE splits SET share = 0.3 WHERE deal_id = 1000 AND share = 0.4;                    -- shares sum to 0.9
UPDATE splits SET share = NULL WHERE deal_id = 2000 AND share = 0.4;                   -- a share missing
UPDATE splits SET share = CASE WHEN share = 0.6 THEN 1.5 ELSE -0.5 END WHERE deal_id = 3000;  -- sum 1, out of range
INSERT INTO splits VALUES (4000, 3, 0.1);                                              -- three shares sum to 1.1
INSERT INTO splits VALUES (5001, 3, 0.3333), (5001, 4, 0.3333), (5001, 5, 0.3334);     -- sums to 1 exactly: fine
INSERT INTO quotas VALUES (47, 0), (50, NULL);                                         -- 48 and 49 have none
INSERT INTO assignments VALUES (7, '[2025-02-01,2025-03-01)'),                         -- inside Q1
                               (8, '[2025-03-15,2025-05-01)'),                         -- across Q1 and Q2
                               (9, '[2025-12-01,)'),                                   -- open-ended, into Q4
                               (10, '[2026-01-01,2026-02-01)');                        -- adjacent to Q4: fine

CREATE TEMP TABLE planted (check_name text, code text, key text);
INSERT INTO planted VALUES
  ('duplicate_keys', 'duplicate_key', '11'), ('duplicate_keys', 'duplicate_key', '22'),
  ('duplicate_keys', 'duplicate_key', '33'), ('duplicate_keys', 'duplicate_key', '12'),
  ('close_before_create', 'close_before_create', '101'), ('close_before_create', 'close_before_create', '102'),
  ('close_before_create', 'close_before_create', '103'), ('close_before_create', 'close_before_create', '106'),
  ('close_before_create', 'close_before_create', '107'),
  ('won_amounts', 'won_amount_not_positive', '201'), ('won_amounts', 'won_amount_not_positive', '205'),
  ('won_amounts', 'won_amount_missing', '206'),
  ('references', 'unknown_rep_id', '303'), ('references', 'unknown_rep_id', '304'),
  ('references', 'missing_rep_id', '308'),
  ('references', 'unknown_product', '401'), ('references', 'unknown_product', '402'),
  ('references', 'missing_product', '403'),
  -- a won deal for nothing is also far below its list price
  ('list_prices', 'price_below_list', '201'), ('list_prices', 'price_below_list', '205'),
  ('list_prices', 'price_above_list', '500'), ('list_prices', 'price_below_list', '501'),
  ('list_prices', 'price_below_list', '510'),
  ('split_shares', 'shares_not_one', '1000'), ('split_shares', 'share_missing', '2000'),
  ('split_shares', 'share_out_of_range', '3000'), ('split_shares', 'shares_not_one', '4000'),
  ('credit_without_quota', 'quota_not_positive', '47'), ('credit_without_quota', 'credit_without_quota', '48'),
  ('credit_without_quota', 'credit_without_quota', '49'), ('credit_without_quota', 'credit_without_quota', '50'),
  -- the row across Q1 and Q2 also makes Q2 overlap it
  ('overlapping_assignments', 'overlapping_assignment', '7 [2025-02-01,2025-03-01)'),
  ('overlapping_assignments', 'overlapping_assignment', '8 [2025-03-15,2025-05-01)'),
  ('overlapping_assignments', 'overlapping_assignment', '8 [2025-04-01,2025-07-01)'),
  ('overlapping_assignments', 'overlapping_assignment', '9 [2025-12-01,)');

SELECT bag_eq(
  $$SELECT check_name, code, key FROM spm.check_inputs('deals', 'reps', 'products', 'splits', 'quotas', 'assignments', 0.25)$$,
  'SELECT * FROM planted',
  'check_inputs finds every planted problem and nothing else, each once');
SELECT bag_eq($$SELECT check_name, code, key FROM spm.check_split_shares('splits')$$,
              $$SELECT * FROM planted WHERE check_name = 'split_shares'$$, 'split shares: the planted ones');
SELECT bag_eq($$SELECT check_name, code, key FROM spm.check_duplicate_keys('deals')$$,
              $$SELECT * FROM planted WHERE check_name = 'duplicate_keys' AND key <> '12'$$, 'duplicate deal keys: the planted ones');
SELECT bag_eq($$SELECT check_name, code, key FROM spm.check_close_before_create('deals')$$,
              $$SELECT * FROM planted WHERE check_name = 'close_before_create'$$, 'close before create: the planted ones');
SELECT bag_eq($$SELECT check_name, code, key FROM spm.check_won_amounts('deals')$$,
              $$SELECT * FROM planted WHERE check_name = 'won_amounts'$$, 'won amounts: the planted ones');
SELECT bag_eq($$SELECT check_name, code, key FROM spm.check_references('deals', 'rep_id', 'reps')$$,
              $$SELECT * FROM planted WHERE code LIKE '%rep_id'$$, 'unknown and missing reps: the planted ones');
SELECT bag_eq($$SELECT check_name, code, key FROM spm.check_references('deals', 'product', 'products')$$,
              $$SELECT * FROM planted WHERE code LIKE '%product'$$, 'unknown and missing products: the planted ones');
SELECT bag_eq($$SELECT check_name, code, key FROM spm.check_credit_without_quota('deals', 'quotas')$$,
              $$SELECT * FROM planted WHERE check_name = 'credit_without_quota'$$, 'credit without quota: the planted ones');
SELECT bag_eq($$SELECT check_name, code, key FROM spm.check_overlapping_assignments('assignments')$$,
              $$SELECT * FROM planted WHERE check_name = 'overlapping_assignments'$$, 'overlapping assignments: the planted ones');
SELECT bag_eq($$SELECT check_name, code, key FROM spm.check_list_prices('deals', 'products', 0.25)$$,
              $$SELECT * FROM planted WHERE check_name = 'list_prices'$$, 'prices far from list: the planted ones');
SELECT is_empty($$SELECT * FROM spm.check_list_prices('deals', 'products', 0.25, won_column => NULL) WHERE key = '515'$$,
                'a price exactly the threshold below list is not reported');
SELECT is((SELECT message FROM spm.check_split_shares('splits') WHERE key = '1000'),
          'the shares of deal 1000 sum to 0.9, not 1, in splits: correct them so that they sum to 1 (add 0.1)',
          'the message says what to fix');
SELECT is((SELECT array_agg(key ORDER BY key) FROM spm.check_overlapping_assignments(
             'assignments') WHERE key LIKE '10 %'), NULL, 'adjacent assignments do not overlap');
CREATE TEMP TABLE repless AS SELECT NULL::int AS rep_id, valid FROM assignments;
SELECT is((SELECT array_agg(DISTINCT code) FROM spm.check_overlapping_assignments('repless')), '{rep_missing}',
          'assignments without a rep are missing a rep, not overlapping each other');
CREATE TEMP TABLE priced (deal_id int, product text, amount numeric, won boolean);
INSERT INTO priced VALUES (1, 'P1', 'NaN', true), (2, 'P1', '-Infinity', true), (3, 'P1', 1000, true);
SELECT bag_eq($$SELECT code, key FROM spm.check_list_prices('priced', 'products', 0.25)$$,
              $$VALUES ('price_not_finite', '1'), ('price_not_finite', '2')$$,
              'a NaN or infinite price is not finite, not a percentage off the list');
SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'citext') AS have_citext \gset
\if :have_citext
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TEMP TABLE ci_reps (rep_id citext);
INSERT INTO ci_reps VALUES ('Ann');
CREATE TEMP TABLE ci_deals (deal_id int, rep_id citext);
INSERT INTO ci_deals VALUES (1, 'ann'), (2, 'ANN'), (3, 'Bo');
SELECT bag_eq($$SELECT code, key FROM spm.check_references('ci_deals', 'rep_id', 'ci_reps')$$,
              $$VALUES ('unknown_rep_id', '3')$$, 'citext references compare as citext does: ann is Ann');
\else
SELECT skip('the contrib extension citext is not available', 1);
\endif

-- the same checks as a role that owns nothing: privileges and row-level security apply
CREATE ROLE spm_checks_reader;
GRANT SELECT ON deals, planted TO spm_checks_reader;
ALTER TABLE deals ENABLE ROW LEVEL SECURITY;
CREATE POLICY low_ids ON deals TO spm_checks_reader USING (deal_id < 200);
SET LOCAL ROLE spm_checks_reader;
SELECT bag_eq($$SELECT check_name, code, key FROM spm.check_close_before_create('deals')$$,
              $$SELECT * FROM planted WHERE check_name = 'close_before_create'$$, 'row-level security: the visible rows are checked');
SELECT is((SELECT count(*)::int FROM spm.check_won_amounts('deals')), 0, 'row-level security: invisible rows are not');
SELECT throws_ok($$SELECT * FROM spm.check_split_shares('splits')$$, '42501', NULL, 'without SELECT on the table, permission denied');
RESET ROLE;

-- bad arguments: a specific SQLSTATE each
SELECT throws_ok($$SELECT * FROM spm.check_duplicate_keys('deals', 'id')$$, '42703',
                 'column "id" of deals does not exist', 'a column that does not exist');
SELECT throws_ok($$SELECT * FROM spm.check_won_amounts('deals', amount_column => 'product')$$, '42804',
                 'column "product" of deals is not of type numeric or integer', 'an amount that is text');
SELECT throws_ok($$SELECT * FROM spm.check_overlapping_assignments('deals', valid_column => 'created')$$, '42804', NULL,
                 'a validity that is no range');
SELECT throws_ok($$SELECT * FROM spm.check_references('deals', 'rep_id', 'products', 'product')$$, '42804',
                 'column "rep_id" of deals and column "product" of products cannot be compared', 'references of another type');
SELECT throws_ok($$SELECT * FROM spm.check_inputs(NULL)$$, '22004', NULL, 'a NULL table');
SELECT throws_ok($$SELECT * FROM spm.check_list_prices('deals', 'products', -0.1)$$, '22023', NULL, 'a negative threshold');

-- the CRM dataset (schema crm, loaded by test/run when ../shared/data/crm exists, with views
-- under the checks' column names): its real
-- quirks - the product spelled GTXPro in 1,480 deals, 1,425 open deals without account - and
-- nothing else
SELECT to_regclass('crm.pipeline') IS NOT NULL AS have_crm \gset
\if :have_crm
SELECT bag_eq(
  $$SELECT code, message ~ '''GTXPro''' AS gtxpro FROM spm.check_inputs('crm.spm_deals', 'crm.spm_reps', 'crm.spm_products')$$,
  $$SELECT 'unknown_product' AS code, true AS gtxpro FROM generate_series(1, 1480)$$,
  'CRM: the 1,480 deals of product GTXPro (listed as GTX Pro), and nothing else');
SELECT bag_eq(
  $$SELECT code, key FROM spm.check_references('crm.pipeline', 'account', 'crm.accounts', key_column => 'opportunity_id')$$,
  $$SELECT 'missing_account', opportunity_id FROM crm.pipeline WHERE account IS NULL$$,
  'CRM: the 1,425 deals without account, and nothing else');
SELECT bag_eq(
  $$SELECT key FROM spm.check_list_prices('crm.spm_deals', 'crm.spm_products', 0.3)$$,
  $$SELECT opportunity_id FROM crm.pipeline JOIN crm.products USING (product)
    WHERE deal_stage = 'Won' AND abs(close_value - sales_price) > 0.3 * sales_price$$,
  'CRM: won deals more than 30 % from list, as plain SQL finds them');
\else
SELECT skip('the CRM dataset is not loaded (../shared/data/crm absent)', 3);
\endif

SELECT * FROM finish();
ROLLBACK;
