-- Governance recipes of doc/governance.md, with roles: row-level security (a rep sees their
-- own rows, a manager the team's, finance everything; spm's aggregates compute over exactly
-- the visible rows), the trigger-kept audit trail, and the dispute record's constraints.
SET client_min_messages = warning;     -- what an interrupted earlier run may have left
DROP SCHEMA IF EXISTS gov CASCADE;
DROP ROLE IF EXISTS regress_spm_gov_rep, regress_spm_gov_mgr, regress_spm_gov_fin, regress_spm_gov_owner;
RESET client_min_messages;
CREATE ROLE regress_spm_gov_owner;
CREATE ROLE regress_spm_gov_rep;
CREATE ROLE regress_spm_gov_mgr;
CREATE ROLE regress_spm_gov_fin;
CREATE SCHEMA gov AUTHORIZATION regress_spm_gov_owner;
GRANT USAGE ON SCHEMA gov TO regress_spm_gov_rep, regress_spm_gov_mgr, regress_spm_gov_fin;

SET ROLE regress_spm_gov_owner;
CREATE TABLE gov.reps (rep_id int PRIMARY KEY, team text NOT NULL);
CREATE TABLE gov.access (login name PRIMARY KEY, rep_id int REFERENCES gov.reps, team text,
                         sees_all boolean NOT NULL DEFAULT false,
                         CHECK (num_nonnulls(rep_id, team, nullif(sees_all, false)) = 1));
CREATE TABLE gov.plans (plan_id text PRIMARY KEY, schedule spm.tier_schedule NOT NULL);
CREATE TABLE gov.quotas (rep_id int REFERENCES gov.reps, period date, quota numeric(12,2) NOT NULL,
                         plan_id text NOT NULL REFERENCES gov.plans, PRIMARY KEY (rep_id, period));
CREATE TABLE gov.credits (deal_id int, rep_id int REFERENCES gov.reps, period date NOT NULL,
                          amount numeric(12,2) NOT NULL, PRIMARY KEY (deal_id, rep_id));
CREATE TABLE gov.paid_lines (line_id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                             rep_id int NOT NULL REFERENCES gov.reps, period date NOT NULL,
                             component text NOT NULL, amount numeric(12,2) NOT NULL, UNIQUE (line_id, rep_id));
-- six reps in three teams, 60 credited deals over two months (deterministic)
INSERT INTO gov.reps SELECT r, (ARRAY['east', 'west', 'north'])[1 + (r - 1) / 2] FROM generate_series(1, 6) r;
INSERT INTO gov.access VALUES ('regress_spm_gov_rep', 3, NULL, false), ('regress_spm_gov_mgr', NULL, 'west', false),
                              ('regress_spm_gov_fin', NULL, NULL, true);
INSERT INTO gov.plans VALUES ('ae', 'marginal; from 0 rate 8%; from 100% rate 12%; cap 3x target'),
                             ('se', 'retroactive; from 0 rate 5%; from 50000 rate 7%');
INSERT INTO gov.quotas SELECT r, m, 40000 + 5000 * r, CASE WHEN r % 2 = 0 THEN 'ae' ELSE 'se' END
FROM generate_series(1, 6) r, (VALUES (date '2026-01-01'), (date '2026-02-01')) p(m);
INSERT INTO gov.credits
SELECT i, 1 + i % 6, date '2026-01-01' + interval '1 month' * (i % 2), 1000 + (hashint4(i) & 65535) / 2.0
FROM generate_series(1, 60) i;
INSERT INTO gov.paid_lines (rep_id, period, component, amount)
SELECT c.rep_id, c.period, 'commission', round(spm.group_commission(c.amount, p.schedule, q.quota), 2)
FROM gov.credits c JOIN gov.quotas q USING (rep_id, period) JOIN gov.plans p USING (plan_id)
GROUP BY c.rep_id, c.period ORDER BY c.rep_id, c.period;
CREATE FUNCTION gov.may_see(rep int) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
  SELECT EXISTS (SELECT FROM gov.access a
                 WHERE a.login = current_user
                   AND (a.sees_all OR a.rep_id = rep
                        OR a.team = (SELECT r.team FROM gov.reps r WHERE r.rep_id = rep)))
$$;
ALTER TABLE gov.access ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_row ON gov.access USING (login = current_user);
ALTER TABLE gov.quotas ENABLE ROW LEVEL SECURITY;
ALTER TABLE gov.quotas FORCE ROW LEVEL SECURITY;
CREATE POLICY visible ON gov.quotas USING (gov.may_see(rep_id));
ALTER TABLE gov.credits ENABLE ROW LEVEL SECURITY;
ALTER TABLE gov.credits FORCE ROW LEVEL SECURITY;
CREATE POLICY visible ON gov.credits USING (gov.may_see(rep_id));
ALTER TABLE gov.paid_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE gov.paid_lines FORCE ROW LEVEL SECURITY;
CREATE POLICY visible ON gov.paid_lines USING (gov.may_see(rep_id));
GRANT SELECT ON gov.reps, gov.access, gov.plans, gov.quotas, gov.credits, gov.paid_lines
  TO regress_spm_gov_rep, regress_spm_gov_mgr, regress_spm_gov_fin;
GRANT INSERT, UPDATE, DELETE, TRUNCATE ON gov.plans, gov.quotas, gov.credits, gov.paid_lines TO regress_spm_gov_fin;
CREATE VIEW gov.rep_totals WITH (security_invoker = true) AS
SELECT c.rep_id, c.period, count(*) AS deals, sum(c.amount) AS credit,
       spm.group_commission(c.amount, p.schedule, q.quota) AS commission, q.quota
FROM gov.credits c JOIN gov.quotas q USING (rep_id, period) JOIN gov.plans p USING (plan_id)
GROUP BY c.rep_id, c.period, q.quota;
GRANT SELECT ON gov.rep_totals TO regress_spm_gov_rep, regress_spm_gov_mgr, regress_spm_gov_fin;
-- FORCE: the owner is bound by the policies too, and has no mapping
SELECT (SELECT count(*) FROM gov.credits) AS owner_credits, (SELECT count(*) FROM gov.paid_lines) AS owner_lines,
       (SELECT count(*) FROM gov.access) AS owner_access_rows;
RESET ROLE;

-- what each role should see, computed by the superuser (who bypasses RLS) over the rows of
-- the reps the mapping admits
CREATE TEMP TABLE expected_by_role AS
SELECT a.login, count(*) AS deals, sum(c.amount) AS credit,
       array_agg(DISTINCT c.rep_id ORDER BY c.rep_id) AS reps
FROM gov.access a JOIN gov.reps r ON a.sees_all OR a.rep_id = r.rep_id OR a.team = r.team
JOIN gov.credits c ON c.rep_id = r.rep_id GROUP BY a.login;
CREATE TEMP TABLE expected_totals AS
SELECT a.login, t.rep_id, t.period, t.commission, t.credit, t.quota
FROM gov.access a JOIN gov.reps r ON a.sees_all OR a.rep_id = r.rep_id OR a.team = r.team
JOIN gov.rep_totals t ON t.rep_id = r.rep_id;
CREATE TEMP TABLE expected_groups AS
SELECT login, sum(commission) AS commission, spm.group_attainment(credit, quota) AS attainment
FROM expected_totals GROUP BY login;
SELECT login, deals, credit, reps FROM expected_by_role ORDER BY login;
GRANT SELECT ON expected_by_role, expected_totals, expected_groups
  TO regress_spm_gov_rep, regress_spm_gov_mgr, regress_spm_gov_fin;

-- each role: the rows it sees are exactly the mapping's, and sum, spm.group_commission and
-- spm.group_attainment over them equal the superuser's over the same rows
SET ROLE regress_spm_gov_rep;
SELECT current_user, count(*) AS deals, sum(amount) AS credit, array_agg(DISTINCT rep_id ORDER BY rep_id) AS reps,
       (count(*), sum(amount), array_agg(DISTINCT rep_id ORDER BY rep_id))
         = (SELECT deals, credit, reps FROM expected_by_role WHERE login = current_user) AS as_expected
FROM gov.credits;
SELECT rep_id, period, commission, round(spm.attainment(credit, quota), 6) AS attainment,
       (rep_id, period, commission, credit, quota) IN
         (SELECT rep_id, period, commission, credit, quota FROM expected_totals WHERE login = current_user) AS as_expected
FROM gov.rep_totals ORDER BY rep_id, period;
SELECT sum(commission) AS commission, spm.group_attainment(credit, quota) AS attainment,
       (sum(commission), spm.group_attainment(credit, quota))
         = (SELECT commission, attainment FROM expected_groups WHERE login = current_user) AS as_expected
FROM gov.rep_totals;
SELECT count(*) AS lines, sum(amount) AS paid FROM gov.paid_lines;
SELECT login FROM gov.access;                                   -- only its own mapping
UPDATE gov.paid_lines SET amount = 0;                           -- not finance: no UPDATE
DELETE FROM gov.credits;
SET ROLE regress_spm_gov_mgr;
SELECT current_user, count(*) AS deals, sum(amount) AS credit, array_agg(DISTINCT rep_id ORDER BY rep_id) AS reps,
       (count(*), sum(amount), array_agg(DISTINCT rep_id ORDER BY rep_id))
         = (SELECT deals, credit, reps FROM expected_by_role WHERE login = current_user) AS as_expected
FROM gov.credits;
SELECT rep_id, period, commission, round(spm.attainment(credit, quota), 6) AS attainment,
       (rep_id, period, commission, credit, quota) IN
         (SELECT rep_id, period, commission, credit, quota FROM expected_totals WHERE login = current_user) AS as_expected
FROM gov.rep_totals ORDER BY rep_id, period;
SELECT sum(commission) AS commission, spm.group_attainment(credit, quota) AS attainment,
       (sum(commission), spm.group_attainment(credit, quota))
         = (SELECT commission, attainment FROM expected_groups WHERE login = current_user) AS as_expected
FROM gov.rep_totals;
-- the team's commission on its total credit per month, over its visible rows only
SELECT period, spm.group_commission(amount, 'marginal; from 0 rate 8%; from 100000 rate 12%') AS on_team_total,
       spm.commission(sum(amount), 'marginal; from 0 rate 8%; from 100000 rate 12%') AS plain
FROM gov.credits GROUP BY period ORDER BY period;
SELECT count(*) AS lines FROM gov.paid_lines;
UPDATE gov.paid_lines SET amount = 0;
SET ROLE regress_spm_gov_fin;
SELECT current_user, count(*) AS deals, sum(amount) AS credit, array_agg(DISTINCT rep_id ORDER BY rep_id) AS reps,
       (count(*), sum(amount), array_agg(DISTINCT rep_id ORDER BY rep_id))
         = (SELECT deals, credit, reps FROM expected_by_role WHERE login = current_user) AS as_expected
FROM gov.credits;
SELECT count(*) AS rows, count(*) FILTER (WHERE (rep_id, period, commission, credit, quota) IN
         (SELECT rep_id, period, commission, credit, quota FROM expected_totals WHERE login = current_user)) AS as_expected
FROM gov.rep_totals;
SELECT sum(commission) AS commission, spm.group_attainment(credit, quota) AS attainment,
       (sum(commission), spm.group_attainment(credit, quota))
         = (SELECT commission, attainment FROM expected_groups WHERE login = current_user) AS as_expected
FROM gov.rep_totals;
-- finance's writes pass the policy's WITH CHECK
UPDATE gov.credits SET amount = amount WHERE deal_id = 1;
RESET ROLE;

-- the pitfall: a plain view reads with its owner's rights; a superuser's view bypasses RLS
CREATE VIEW gov.leaky AS SELECT count(*) AS deals FROM gov.credits;
GRANT SELECT ON gov.leaky TO regress_spm_gov_rep;
SET ROLE regress_spm_gov_rep;
SELECT (SELECT deals FROM gov.leaky) AS through_superusers_view, (SELECT count(*) FROM gov.credits) AS direct;
RESET ROLE;
DROP VIEW gov.leaky;

-- the audit trail
SET ROLE regress_spm_gov_owner;
CREATE TABLE gov.audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(),
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(), login name NOT NULL, acting_role name NOT NULL,
  table_name text NOT NULL, op text NOT NULL, old_row jsonb, new_row jsonb);
CREATE FUNCTION gov.audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  INSERT INTO gov.audit_log (login, acting_role, table_name, op, old_row, new_row)
  VALUES (session_user,
          CASE current_setting('role') WHEN 'none' THEN session_user ELSE current_setting('role') END,
          TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP,
          CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END,
          CASE WHEN TG_OP IN ('UPDATE', 'INSERT') THEN to_jsonb(NEW) END);
  RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION gov.audit() FROM PUBLIC;
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON gov.plans FOR EACH ROW EXECUTE FUNCTION gov.audit();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON gov.quotas FOR EACH ROW EXECUTE FUNCTION gov.audit();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON gov.paid_lines FOR EACH ROW EXECUTE FUNCTION gov.audit();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON gov.plans FOR EACH STATEMENT EXECUTE FUNCTION gov.audit();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON gov.quotas FOR EACH STATEMENT EXECUTE FUNCTION gov.audit();
CREATE TRIGGER audit_truncate AFTER TRUNCATE ON gov.paid_lines FOR EACH STATEMENT EXECUTE FUNCTION gov.audit();
GRANT SELECT ON gov.audit_log TO regress_spm_gov_fin;
RESET ROLE;

SET ROLE regress_spm_gov_fin;
UPDATE gov.quotas SET quota = 48000 WHERE rep_id = 1 AND period = '2026-02-01';
UPDATE gov.plans SET schedule = 'retroactive; from 0 rate 5%; from 50000 rate 8%' WHERE plan_id = 'se';
INSERT INTO gov.paid_lines (rep_id, period, component, amount) VALUES (2, '2026-02-01', 'spiff', 250.00);
DELETE FROM gov.paid_lines WHERE component = 'spiff';
-- a caller's search_path and temporary table cannot redirect the definer's insert
CREATE TEMP TABLE audit_log (LIKE gov.audit_log);
SET search_path = pg_temp, gov, public;
INSERT INTO plans VALUES ('bdr', 'from 0 rate 10%');
RESET search_path;
SELECT count(*) AS rows_in_my_temp_table FROM pg_temp.audit_log;
DROP TABLE pg_temp.audit_log;
-- nobody writes the history by hand, or calls the trigger function
INSERT INTO gov.audit_log (login, acting_role, table_name, op) VALUES ('x', 'x', 'x', 'x');
DELETE FROM gov.audit_log;
SELECT gov.audit();
SET ROLE regress_spm_gov_rep;
UPDATE gov.quotas SET quota = 1 WHERE rep_id = 3;        -- denied: no audit row
SELECT count(*) FROM gov.audit_log;                      -- denied
RESET ROLE;
-- as the superuser itself (no SET ROLE): the acting role is the login; an update that
-- changes nothing is recorded too (no column differs)
UPDATE gov.plans SET schedule = schedule WHERE plan_id = 'bdr';
SET ROLE regress_spm_gov_fin;
TRUNCATE gov.paid_lines;
-- who changed what
SELECT id, login = session_user AS login_is_session_user, acting_role, table_name, op,
       CASE op WHEN 'UPDATE' THEN
         (SELECT jsonb_object_agg(k, jsonb_build_array(old_row -> k, new_row -> k))
          FROM jsonb_object_keys(new_row) k WHERE old_row -> k IS DISTINCT FROM new_row -> k)
       ELSE coalesce(new_row, old_row) END AS change
FROM gov.audit_log ORDER BY id;
SELECT count(DISTINCT txid) = count(*) AS one_transaction_each, bool_and(at <= now()) AS stamped
FROM gov.audit_log;
RESET ROLE;

-- the dispute record: the disputed line and its adjustment belong to the same rep, an
-- accepted dispute has exactly one adjustment, and an adjustment settles one dispute
SET ROLE regress_spm_gov_owner;
CREATE TABLE gov.disputes (
  dispute_id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, rep_id int NOT NULL, line_id int NOT NULL,
  reason text NOT NULL, raised_by name NOT NULL DEFAULT current_user,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
  adjustment_line_id int UNIQUE,
  FOREIGN KEY (line_id, rep_id) REFERENCES gov.paid_lines (line_id, rep_id),
  FOREIGN KEY (adjustment_line_id, rep_id) REFERENCES gov.paid_lines (line_id, rep_id),
  CHECK ((status = 'accepted') = (adjustment_line_id IS NOT NULL)),
  CHECK (adjustment_line_id <> line_id));
ALTER TABLE gov.disputes ENABLE ROW LEVEL SECURITY;
ALTER TABLE gov.disputes FORCE ROW LEVEL SECURITY;
CREATE POLICY visible ON gov.disputes USING (gov.may_see(rep_id));
GRANT SELECT, INSERT (rep_id, line_id, reason) ON gov.disputes
  TO regress_spm_gov_rep, regress_spm_gov_mgr, regress_spm_gov_fin;
GRANT UPDATE (status, adjustment_line_id) ON gov.disputes TO regress_spm_gov_fin;
RESET ROLE;
SET ROLE regress_spm_gov_fin;
INSERT INTO gov.paid_lines (rep_id, period, component, amount) VALUES
  (3, '2026-01-01', 'commission', 1200.00), (4, '2026-01-01', 'commission', 900.00),
  (3, '2026-01-01', 'adjustment', 45.50), (4, '2026-01-01', 'adjustment', -12.00);
SELECT line_id, rep_id, component, amount FROM gov.paid_lines ORDER BY line_id;
SET ROLE regress_spm_gov_rep;
INSERT INTO gov.disputes (rep_id, line_id, reason)
SELECT rep_id, line_id, 'deal missing' FROM gov.paid_lines WHERE component = 'commission';
INSERT INTO gov.disputes (rep_id, line_id, reason) VALUES (4, 9, 'not mine');        -- policy: rep 4's line
INSERT INTO gov.disputes (rep_id, line_id, reason, raised_by) VALUES (3, 8, 'x', 'someone_else');  -- column
INSERT INTO gov.disputes (rep_id, line_id, reason) VALUES (3, 9, 'line of another rep');  -- FK: line 9 is rep 4's
UPDATE gov.disputes SET status = 'accepted';                                          -- not finance
SET ROLE regress_spm_gov_fin;
UPDATE gov.disputes SET status = 'accepted' WHERE dispute_id = 1;                     -- no adjustment
UPDATE gov.disputes SET status = 'accepted', adjustment_line_id = 11 WHERE dispute_id = 1; -- rep 4's adjustment
UPDATE gov.disputes SET status = 'accepted', adjustment_line_id = 8 WHERE dispute_id = 1;  -- the disputed line itself
UPDATE gov.disputes SET status = 'accepted', adjustment_line_id = 10 WHERE dispute_id = 1;
SET ROLE regress_spm_gov_rep;
INSERT INTO gov.disputes (rep_id, line_id, reason) VALUES (3, 8, 'a second deal missing');
SET ROLE regress_spm_gov_fin;
UPDATE gov.disputes SET status = 'accepted', adjustment_line_id = 10 WHERE reason = 'a second deal missing';  -- settles dispute 1 already
UPDATE gov.disputes SET status = 'rejected' WHERE reason = 'a second deal missing';
SET ROLE regress_spm_gov_mgr;
SELECT d.dispute_id, d.rep_id, d.raised_by, d.status, l.amount AS disputed, a.amount AS adjustment,
       l.amount + a.amount AS settled
FROM gov.disputes d JOIN gov.paid_lines l USING (line_id, rep_id)
LEFT JOIN gov.paid_lines a ON a.line_id = d.adjustment_line_id AND a.rep_id = d.rep_id ORDER BY 1;
RESET ROLE;

SET client_min_messages = warning;
DROP SCHEMA gov CASCADE;
DROP TABLE expected_by_role, expected_totals, expected_groups;
DROP ROLE regress_spm_gov_rep, regress_spm_gov_mgr, regress_spm_gov_fin, regress_spm_gov_owner;
