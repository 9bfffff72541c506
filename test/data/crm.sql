-- test/data/crm.sql -- load the real "CRM Sales Opportunities" dataset into schema crm
--
--   psql -v crm_dir=/work/shared/data/crm -f test/data/crm.sql
--
-- crm_dir defaults to /work/shared/data/crm.  Loading uses client-side \copy, so the
-- files only need to be readable by the psql client (not by the server's OS user).
-- \copy does not interpolate psql variables, so we \cd into :crm_dir (\cd does) and
-- \copy from relative file names (crm_dir must not contain spaces).  Note: this
-- changes psql's working directory.
--
-- Data quirks are kept as-is (see SOURCE.md): pipeline.product 'GTXPro' vs products
-- 'GTX Pro' (hence no FK on product), sector typo 'technolgy', open deals
-- (Engaging/Prospecting) have NULL close_date/close_value, 1,425 deals have NULL
-- account, lost deals have close_value 0, 5 agents have no deals.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?crm_dir}
\else
\set crm_dir /work/shared/data/crm
\endif

DROP SCHEMA IF EXISTS crm CASCADE;
CREATE SCHEMA crm;

CREATE TABLE crm.teams (
    sales_agent     text PRIMARY KEY,
    manager         text NOT NULL,
    regional_office text NOT NULL
);

CREATE TABLE crm.accounts (
    account          text PRIMARY KEY,
    sector           text,
    year_established int,
    revenue          numeric(12,2),   -- millions
    employees        int,
    office_location  text,
    subsidiary_of    text
);

CREATE TABLE crm.products (
    product     text PRIMARY KEY,
    series      text,
    sales_price numeric(12,2)
);

CREATE TABLE crm.pipeline (
    opportunity_id text PRIMARY KEY,
    sales_agent    text NOT NULL REFERENCES crm.teams,
    product        text NOT NULL,          -- 'GTXPro' here vs 'GTX Pro' in products
    account        text REFERENCES crm.accounts,
    deal_stage     text NOT NULL CHECK (deal_stage IN ('Won', 'Lost', 'Engaging', 'Prospecting')),
    engage_date    date,
    close_date     date,                   -- NULL for open deals
    close_value    numeric(12,2)           -- NULL for open deals, 0 for lost
);

\cd :crm_dir
\copy crm.teams    FROM 'sales_teams.csv'    WITH (FORMAT csv, HEADER true)
\copy crm.accounts FROM 'accounts.csv'       WITH (FORMAT csv, HEADER true)
\copy crm.products FROM 'products.csv'       WITH (FORMAT csv, HEADER true)
\copy crm.pipeline FROM 'sales_pipeline.csv' WITH (FORMAT csv, HEADER true)

ANALYZE crm.teams, crm.accounts, crm.products, crm.pipeline;

-- The pipeline, agents and products under the column names spm's input checks take by default
-- (doc/checks.md): a won flag from the stage, engage_date as the creation, close_value as the amount.
CREATE VIEW crm.spm_deals AS
SELECT opportunity_id AS deal_id, sales_agent AS rep_id, product, account, engage_date AS created, close_date,
       close_value AS amount, deal_stage = 'Won' AS won
FROM crm.pipeline;
CREATE VIEW crm.spm_reps AS SELECT sales_agent AS rep_id FROM crm.teams;
CREATE VIEW crm.spm_products AS SELECT product, sales_price AS list_price FROM crm.products;
