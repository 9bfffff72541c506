-- test/bare/bare.sql: every final function of every spm aggregate called bare, as Citus's
-- coordinator calls it (test/bare/bare_call.c: no call expression, no aggregate context).
-- The states are the aggregate's own: built by its transition function (an aggregate of this
-- file with the same SFUNC, STYPE and INITCOND and no final function), by its moving-window
-- functions (MSFUNC, MINVFUNC) over a moving frame, and by its combine function from two
-- partial states shipped as text, as Citus combines them.  Each result called bare must
-- equal the final function's result called by SQL and the aggregate's result over the same
-- rows.  Prints TAP: one line per final function, one per aggregate without one, one per
-- plain function returning a composite, one for coverage, then the plan.
--   psql -XAtq -v bare_so=/absolute/path/bare_call.so -f test/bare/bare.sql
-- as a superuser in a database where spm is installed (test/bare/run does it all).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE SCHEMA bare;
CREATE FUNCTION bare.call(fn regprocedure, VARIADIC args text[]) RETURNS text
AS :'bare_so', 'bare_call' LANGUAGE C;

-- spm's functions and aggregates: what the extension owns
CREATE VIEW bare.spm_functions AS
SELECT p.*
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                AND d.refclassid = 'pg_extension'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'spm';
CREATE VIEW bare.spm_aggregates AS
SELECT a.* FROM pg_aggregate a WHERE a.aggfnoid IN (SELECT oid FROM bare.spm_functions);

-- the rows every aggregate runs over: three groups of 15 deals, with NULLs
CREATE TABLE bare.deals AS
SELECT i % 3 AS g, i,
       CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END AS won,
       (i * 37 % 1000) * 12.5 + 0.25 AS amount,
       20000 + 5000 * (i % 3) AS quota,
       CASE WHEN i % 7 = 0 THEN NULL ELSE i % 90 END AS cycle_days,
       CASE WHEN i % 11 = 0 THEN NULL ELSE 1 + i * 7 % 5 END AS stage
FROM generate_series(1, 45) i;

-- each aggregate's arguments, as expressions over bare.deals
CREATE TABLE bare.args (agg regprocedure PRIMARY KEY, args text NOT NULL);
INSERT INTO bare.args VALUES
  ('spm.group_attainment(numeric, numeric)', 'amount, quota'),
  ('spm.group_commission(numeric, spm.tier_schedule)',
   $$amount, 'marginal; from 0 rate 5%; from 50000 rate 8%'::spm.tier_schedule$$),
  ('spm.group_commission(numeric, spm.tier_schedule, numeric)',
   $$amount, 'marginal; from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%; cap 3x target'::spm.tier_schedule, quota$$),
  ('spm.funnel(integer, integer)', 'stage, 5'),
  ('spm.win_rate(boolean)', 'won'),
  ('spm.value_win_rate(boolean, numeric)', 'won, amount'),
  ('spm.deal_summary(boolean, numeric, integer)', 'won, amount, cycle_days'),
  ('spm.rollup(spm.deal_summary)',
   '(SELECT spm.deal_summary(w, a, c) FROM (VALUES (won, amount, cycle_days)) v(w, a, c))'),
  ('spm.gini(numeric)', 'amount'),
  ('spm.cv(numeric)', 'amount'),
  ('spm.max_min_ratio(numeric)', 'amount'),
  ('spm.max_deviation(numeric)', 'amount'),
  ('spm.balance_score(numeric)', 'amount'),
  ('spm.share_within(numeric, numeric)', 'amount, 0.15'),
  ('spm.balance(numeric, numeric)', 'amount, 0.15'),
  ('spm.accuracy_summary(numeric, numeric)', 'quota, amount'),
  ('spm.wape(numeric, numeric)', 'quota, amount'),
  ('spm.mape(numeric, numeric)', 'quota, amount'),
  ('spm.bias(numeric, numeric)', 'quota, amount'),
  ('spm.tracking_signal(numeric, numeric)', 'quota, amount'),
  ('spm.rollup(spm.accuracy_summary)',
   '(SELECT spm.accuracy_summary(f, a) FROM (VALUES (quota, amount)) v(f, a))'),
  ('spm.cycle_summary(integer, boolean)', 'cycle_days, won IS NOT NULL'),
  ('spm.rollup(spm.cycle_summary)',
   '(SELECT spm.cycle_summary(d, c) FROM (VALUES (cycle_days, won IS NOT NULL)) v(d, c))'),
  ('spm.stage_summary(integer, boolean)', '1 + i % 5, won'),
  ('spm.rollup(spm.stage_summary)',
   '(SELECT spm.stage_summary(st, w) FROM (VALUES (1 + i % 5, won)) v(st, w))'),
  ('spm.pipeline_waterfall(date, date, text, numeric, date, text, numeric, date)',
   $$date '2024-07-01', date '2024-10-01', 'open', amount, date '2024-06-01' + i * 7 % 150, CASE WHEN won IS NULL THEN 'open' WHEN won THEN 'won' ELSE 'lost' END, amount + i % 4, date '2024-06-15' + i * 11 % 150$$),
  ('spm.rollup(spm.pipeline_waterfall)',
   $$(SELECT spm.pipeline_waterfall(date '2024-07-01', date '2024-10-01', 'open', a, date '2024-06-01' + i * 7 % 150, 'open', a + i % 4, date '2024-06-15' + i * 11 % 150) FROM (VALUES (amount)) v(a))$$),
  ('spm.forecast_range(numeric, numeric)', 'round(amount), (i % 11) / 10.0'),
  ('spm.forecast_range(numeric, numeric, numeric)', 'amount, (i % 11) / 10.0, 0.01');

-- spm's plain functions that return a composite or an array of composites and are no final
-- function: called bare too, with these arguments
CREATE TABLE bare.calls (fn regprocedure, args text[] NOT NULL);
INSERT INTO bare.calls VALUES
  ('spm.nonrecoverable_draw(numeric, numeric)', '{1200.50, 1000}'),
  ('spm.nonrecoverable_draw(numeric, numeric)', '{800, 1000.00}');

-- one call of a final function (or of none: the state is the result) on one state
CREATE TABLE bare.result (
    fn        regprocedure,   -- the final function; NULL: the aggregate has none
    agg       regprocedure,
    what      text,           -- which state
    state     text,
    bare      text,           -- fn called bare
    sql       text,           -- fn called by SQL
    aggregate text,           -- the aggregate over the same rows
    error     text
);

CREATE FUNCTION bare.qualified(fn regprocedure) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT format('%I.%I', n.nspname, p.proname)
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = fn
$$;

-- fn on arguments given as text: called by SQL, then bare
CREATE FUNCTION bare.compare(fn regprocedure, args text[], OUT sql text, OUT bare text, OUT error text)
LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    EXECUTE format('SELECT %s(%s)::text', bare.qualified(fn),
                   (SELECT string_agg(format('$1[%s]::%s', k, format_type(t, NULL)), ', ' ORDER BY k)
                    FROM pg_proc, unnest(proargtypes::oid[]) WITH ORDINALITY u(t, k) WHERE oid = fn))
      INTO sql USING args;
  EXCEPTION WHEN OTHERS THEN
    error := format('by SQL: %s: %s', SQLSTATE, SQLERRM);
  END;
  bare := bare.call(fn, VARIADIC args);
EXCEPTION WHEN OTHERS THEN
  error := concat_ws('; ', error, format('bare: %s: %s', SQLSTATE, SQLERRM));
END $$;

-- fn on one state of agg; no fn: the state is the result
CREATE FUNCTION bare.record(fn regprocedure, agg regprocedure, what text, state text,
                            aggregate text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO bare.result
  SELECT fn, agg, what, state, c.bare, c.sql, aggregate, c.error
  FROM bare.compare(fn, ARRAY[state]) c WHERE fn IS NOT NULL
  UNION ALL
  SELECT fn, agg, what, state, state, state, aggregate, NULL WHERE fn IS NULL
$$;

-- Partial states shipped as text, combined as Citus's coordinator does: from the initial
-- state, a strict combine function skips NULL states and takes the first as it is.
CREATE FUNCTION bare.combine(a pg_aggregate, states text[]) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  is_strict boolean := (SELECT proisstrict FROM pg_proc WHERE oid = a.aggcombinefn);
  combined text := a.agginitval;
  s text;
BEGIN
  FOREACH s IN ARRAY states LOOP
    IF is_strict AND s IS NULL THEN
      CONTINUE;
    ELSIF is_strict AND combined IS NULL THEN
      combined := s;
    ELSE
      EXECUTE format('SELECT %s($1::%s, $2::%s)::text', bare.qualified(a.aggcombinefn),
                     a.aggtranstype::regtype, a.aggtranstype::regtype)
        INTO combined USING combined, s;
    END IF;
  END LOOP;
  RETURN combined;
END $$;

-- Every state of one aggregate: per group, per group combined from its even and odd rows,
-- over no rows, and per row of a moving frame (MSFUNC/MINVFUNC, then MFINALFUNC).
CREATE FUNCTION bare.run(agg regprocedure) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  a pg_aggregate := (SELECT x FROM pg_aggregate x WHERE x.aggfnoid = agg);
  fn regprocedure := nullif(a.aggfinalfn, 0);
  mfn regprocedure := nullif(a.aggmfinalfn, 0);
  types text := (SELECT string_agg(format_type(t, NULL), ', ' ORDER BY k)
                 FROM pg_proc, unnest(proargtypes::oid[]) WITH ORDINALITY u(t, k) WHERE oid = agg);
  cols text := (SELECT string_agg('a' || k, ', ') FROM pg_proc, generate_series(1, pronargs) k
                WHERE oid = agg);
  source text := format('(SELECT g, i, %s FROM bare.deals) r(g, i, %s)',
                        (SELECT args FROM bare.args WHERE bare.args.agg = run.agg), cols);
  aggregate text := format('%s(%s)', bare.qualified(agg), cols);
  state text := format('bare.state_%s(%s)', agg::oid, cols);
  r record;
BEGIN
  EXECUTE format('CREATE AGGREGATE bare.state_%s(%s) (SFUNC = %s, STYPE = %s%s)',
                 agg::oid, types, a.aggtransfn, a.aggtranstype::regtype,
                 coalesce(', INITCOND = ' || quote_literal(a.agginitval), ''));
  FOR r IN EXECUTE format('SELECT g, (%s)::text AS s, (%s FILTER (WHERE i %% 2 = 0))::text AS s0,
                                  (%s FILTER (WHERE i %% 2 = 1))::text AS s1, (%s)::text AS result
                           FROM %s GROUP BY g ORDER BY g', state, state, state, aggregate, source) LOOP
    PERFORM bare.record(fn, agg, format('group %s', r.g), r.s, r.result);
    PERFORM bare.record(fn, agg, format('group %s, combined', r.g),
                        bare.combine(a, ARRAY[r.s0, r.s1]), r.result);
  END LOOP;
  FOR r IN EXECUTE format('SELECT (%s)::text AS s, (%s)::text AS result FROM %s WHERE false',
                          state, aggregate, source) LOOP
    PERFORM bare.record(fn, agg, 'no rows', r.s, r.result);
  END LOOP;
  IF a.aggmtransfn = 0 THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE AGGREGATE bare.mstate_%s(%s) (SFUNC = %s, STYPE = %s%s, MSFUNC = %s, MINVFUNC = %s, MSTYPE = %s%s)',
                 agg::oid, types, a.aggmtransfn, a.aggmtranstype::regtype,
                 coalesce(', INITCOND = ' || quote_literal(a.aggminitval), ''),
                 a.aggmtransfn, a.aggminvtransfn, a.aggmtranstype::regtype,
                 coalesce(', MINITCOND = ' || quote_literal(a.aggminitval), ''));
  FOR r IN EXECUTE format('SELECT g, i, (bare.mstate_%s(%s) OVER w)::text AS s, (%s OVER w)::text AS result
                           FROM %s
                           WINDOW w AS (PARTITION BY g ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
                           ORDER BY g, i', agg::oid, cols, aggregate, source) LOOP
    PERFORM bare.record(mfn, agg, format('group %s, moving frame to row %s', r.g, r.i),
                        r.s, r.result);
  END LOOP;
END $$;

DO $$ BEGIN
  PERFORM bare.run(aggfnoid) FROM bare.spm_aggregates WHERE aggfnoid IN (SELECT agg FROM bare.args);
END $$;

-- the composite-returning plain functions: bare against SQL
INSERT INTO bare.result
SELECT k.fn, NULL, array_to_string(k.args, ', '), NULL, c.bare, c.sql, c.sql, c.error
FROM bare.calls k, bare.compare(k.fn, k.args) c;

-- TAP: a test passes when every call of it gave the same result bare, by SQL and from the
-- aggregate, without an error, and one of them a value
CREATE FUNCTION bare.tap() RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  n integer := 0;
  t record;
  c record;
  missing text;
BEGIN
  FOR t IN
    SELECT fn, min(agg::text) IS NULL AS plain,
           coalesce(fn::text, min(agg::text)) AS name,
           string_agg(DISTINCT agg::text, ', ') AS aggs, count(*) AS calls,
           bool_and(error IS NULL AND bare IS NOT DISTINCT FROM sql AND bare IS NOT DISTINCT FROM aggregate)
             AND bool_or(bare IS NOT NULL) AS ok
    FROM bare.result GROUP BY fn, CASE WHEN fn IS NULL THEN agg END ORDER BY 2, 3
  LOOP
    n := n + 1;
    RETURN NEXT format('%s %s - %s', CASE WHEN t.ok THEN 'ok' ELSE 'not ok' END, n,
      CASE WHEN t.fn IS NULL
           THEN format('%s has no final function: its state is its result (%s states, combined from text too)', t.aggs, t.calls)
           WHEN t.plain
           THEN format('%s called bare = called by SQL (%s calls)', t.fn, t.calls)
           ELSE format('final function %s called bare = called by SQL = the aggregate (%s states of %s)',
                       t.fn, t.calls, t.aggs) END);
    FOR c IN
      SELECT * FROM bare.result r
      WHERE r.fn IS NOT DISTINCT FROM t.fn AND (t.fn IS NOT NULL OR r.agg::text = t.aggs)
        AND NOT (error IS NULL AND bare IS NOT DISTINCT FROM sql AND bare IS NOT DISTINCT FROM aggregate)
    LOOP
      RETURN NEXT format('#   %s, %s: state %s: bare %s, SQL %s, aggregate %s%s',
                         coalesce(c.agg::text, c.fn::text), c.what, coalesce(c.state, 'NULL'),
                         coalesce(c.bare, 'NULL'), coalesce(c.sql, 'NULL'), coalesce(c.aggregate, 'NULL'),
                         coalesce(', error ' || c.error, ''));
    END LOOP;
  END LOOP;

  -- coverage: every final function (and moving final function) of every spm aggregate, and
  -- every composite-returning plain function, called bare with a value as the result
  SELECT string_agg(m, '; ' ORDER BY m) INTO missing FROM (
    SELECT format('%s: %s %s', a.aggfnoid::regprocedure, k.kind, k.fn::regprocedure) AS m
    FROM bare.spm_aggregates a,
         LATERAL (VALUES ('final function', a.aggfinalfn), ('moving final function', a.aggmfinalfn)) k(kind, fn)
    WHERE k.fn <> 0 AND NOT EXISTS (SELECT FROM bare.result r WHERE r.agg = a.aggfnoid AND r.fn = k.fn
                                                              AND r.bare IS NOT NULL)
    UNION ALL
    SELECT format('%s: no arguments in bare.args', a.aggfnoid::regprocedure)
    FROM bare.spm_aggregates a WHERE a.aggfnoid NOT IN (SELECT agg FROM bare.args)
    UNION ALL
    SELECT format('%s: no arguments in bare.calls', p.oid::regprocedure)
    FROM bare.spm_functions p
    WHERE p.prokind = 'f' AND NOT p.proretset
      AND (SELECT rt.typtype = 'c' OR rt.oid = 'record'::regtype OR et.typtype = 'c'
           FROM pg_type rt LEFT JOIN pg_type et ON et.oid = rt.typelem AND rt.typcategory = 'A'
           WHERE rt.oid = p.prorettype)
      AND p.oid NOT IN (SELECT aggfinalfn FROM bare.spm_aggregates UNION SELECT aggmfinalfn FROM bare.spm_aggregates)
      AND NOT EXISTS (SELECT FROM bare.result r WHERE r.fn = p.oid AND r.bare IS NOT NULL)) missing;
  n := n + 1;
  RETURN NEXT format('%s %s - coverage: every final function of the %s spm aggregates, and every plain function returning a composite, called bare with a value as the result',
                     CASE WHEN missing IS NULL THEN 'ok' ELSE 'not ok' END, n,
                     (SELECT count(*) FROM bare.spm_aggregates));
  IF missing IS NOT NULL THEN
    RETURN NEXT '#   missing: ' || missing;
  END IF;

  -- what the executor calls, never bare: set-returning and window functions
  RETURN NEXT '# not called bare: ' || (
    SELECT string_agg(DISTINCT format('%s (%s)', bare.qualified(oid),
                                      CASE WHEN prokind = 'w' THEN 'window' ELSE 'set-returning' END), ', ')
    FROM bare.spm_functions WHERE prokind = 'w' OR proretset)
    || ': the executor calls them, on the coordinator or the workers, with their call expression';
  RETURN NEXT '1..' || n;
END $$;

SELECT * FROM bare.tap();
