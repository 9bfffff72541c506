-- test/demo/checks.sql -- input checks on the sample company (schema demo) and, when loaded,
-- the CRM dataset (schema crm)
--
--   psql -f test/data/company.sql; psql -f test/data/crm.sql; psql -f test/demo/checks.sql
--
-- The sample company is generated clean: the checks find nothing.  A bad import into a copy
-- of it shows what they report.  The CRM dataset is real: the checks find its quirks.
\set ON_ERROR_STOP on
\pset footer off
\set QUIET on

\echo
\echo '=== checks: the sample company, every check over deals, reps and the 2026 quotas (no rows: nothing wrong) ==='
CREATE TEMP VIEW quotas_2026 AS SELECT rep_id, quota FROM demo.quotas WHERE year = 2026;
SELECT check_name, code, count(*) AS problems
FROM spm.check_inputs(deals => 'demo.deals', reps => 'demo.reps', quotas => 'quotas_2026')
GROUP BY check_name, code ORDER BY check_name, code;

\echo '=== checks: a bad import into a copy of the deals, and what the checks say about each row ==='
CREATE TEMP TABLE deals_import AS SELECT * FROM demo.deals;
INSERT INTO deals_import SELECT * FROM demo.deals WHERE deal_id = 17;                       -- loaded twice
UPDATE deals_import SET close_date = created - 10                                           -- closed before created
WHERE deal_id = (SELECT min(deal_id) FROM demo.deals WHERE close_date IS NOT NULL AND deal_id > 20);
UPDATE deals_import SET amount = -amount WHERE deal_id = (SELECT min(deal_id) FROM demo.deals WHERE won); -- a refund typed as a sale
UPDATE deals_import SET rep_id = 41 WHERE deal_id = 42;                                     -- a rep not hired yet
SELECT * FROM spm.check_inputs(deals => 'deals_import', reps => 'demo.reps', quotas => 'quotas_2026');

SELECT to_regclass('crm.pipeline') IS NOT NULL AS have_crm \gset
\if :have_crm
\echo '=== checks: the CRM dataset (real data), through its views with the checks'' column names (crm.spm_deals, ...) ==='
SELECT check_name, code, count(*) AS problems, min(key) AS first_key, min(message) AS first_message
FROM (SELECT * FROM spm.check_inputs('crm.spm_deals', 'crm.spm_reps', 'crm.spm_products', price_threshold => 0.3)
      UNION ALL
      SELECT * FROM spm.check_references('crm.spm_deals', 'account', 'crm.accounts')) p
GROUP BY check_name, code ORDER BY check_name, code;
\echo '(GTXPro is how 1,480 deals spell the product listed as GTX Pro; the 1,425 deals without account are all open;'
\echo ' 10 won deals sold more than 30 % from their list price)'
\else
\echo '(schema crm not loaded: skipping the real-data part; load it with test/data/crm.sql)'
\endif
