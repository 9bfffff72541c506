-- NULL arguments to every spm function that is not STRICT (those handle NULL themselves:
-- aggregates, window functions, support functions, constructors with optional arguments).
-- Each is called with sample arguments, then with each argument NULL in turn, then with all
-- of them NULL; the outcome is "value", "NULL" or the SQLSTATE raised.  None may crash the
-- backend (a NULL once did, in spm.tier_schedule from arrays), none may be left out.
CREATE TEMP TABLE samples (fn regprocedure PRIMARY KEY, args text[] NOT NULL);
INSERT INTO samples VALUES
  ('spm.accuracy_summary(numeric, numeric)', '{110, 100}'),
  ('spm.accuracy_summary_accum(spm.accuracy_summary, numeric, numeric)',
   '{"''(periods=1,zero_actuals=0,forecast=5,actual=4,abs_error=1,abs_actual=4,ape=0.25)''", 110, 100}'),
  ('spm.accuracy_summary_accum_inv(spm.accuracy_summary, numeric, numeric)',
   '{"''(periods=1,zero_actuals=0,forecast=110,actual=100,abs_error=10,abs_actual=100,ape=0.10000000000000000000)''", 110, 100}'),
  ('spm.allocate_share(numeric, numeric, integer)', '{100, 1, 2}'),
  ('spm.attainment_accum(spm.attainment_state, numeric, numeric)', '{"''(actual=1,quota=2)''", 10, 20}'),
  ('spm.attainment_accum_inv(spm.attainment_state, numeric, numeric)', '{"''(actual=10,quota=20)''", 10, 20}'),
  ('spm.balance(numeric, numeric)', '{10, 0.15}'),
  ('spm.balance_score(numeric)', '{10}'),
  ('spm.bias(numeric, numeric)', '{110, 100}'),
  ('spm.commission_accum(spm.commission_state, numeric, spm.tier_schedule)', '{"''(credit=1) schedule=marginal; from 0 rate 5%''", 100, "''from 0 rate 5%''"}'),
  ('spm.commission_accum(spm.commission_state, numeric, spm.tier_schedule, numeric)', '{"''(credit=1) quota=1000 schedule=marginal; from 0% rate 5%''", 100, "''from 0% rate 5%''", 1000}'),
  ('spm.commission_accum_inv(spm.commission_state, numeric, spm.tier_schedule)', '{"''(credit=100) schedule=marginal; from 0 rate 5%''", 100, "''from 0 rate 5%''"}'),
  ('spm.commission_accum_inv(spm.commission_state, numeric, spm.tier_schedule, numeric)', '{"''(credit=100) quota=1000 schedule=marginal; from 0% rate 5%''", 100, "''from 0% rate 5%''", 1000}'),
  ('spm.bookings_range_accum(spm.bookings_range, numeric, numeric)',
   '{"''(resolution=1,deals=1,mean=50,variance=2500,exact={100@0.5})''", 200, 0.25}'),
  ('spm.bookings_range_accum(spm.bookings_range, numeric, numeric, numeric)',
   '{"''(resolution=0.01,deals=1,mean=50,variance=2500,exact={100@0.5})''", 200, 0.25, 0.01}'),
  ('spm.cv(numeric)', '{10}'),
  ('spm.cycle_summary(integer, boolean)', '{30, true}'),
  ('spm.cycle_summary_accum(spm.cycle_summary, integer, boolean)', '{"''{3:1/0}''", 30, true}'),
  ('spm.cycle_summary_accum_inv(spm.cycle_summary, integer, boolean)', '{"''{30:1/0}''", 30, true}'),
  ('spm.deal_commission(numeric, spm.tier_schedule)', '{100, "''from 0 rate 5%''"}'),
  ('spm.deal_commission(numeric, spm.tier_schedule, numeric)', '{100, "''from 0% rate 5%''", 1000}'),
  ('spm.deal_commission(numeric, spm.tier_schedule, numeric, numeric)', '{100, "''curve; at 50% pay 25%''", 1000, 5000}'),
  ('spm.deal_summary(boolean, numeric, integer)', '{true, 100, 30}'),
  ('spm.deal_summary_accum(spm.deal_summary, boolean, numeric, integer)',
   '{"''(won=1,lost=0,open=0,cycle_deals=1,cycle_days=3,won_amount=5,lost_amount=0,open_amount=0)''", true, 100, 30}'),
  ('spm.deal_summary_accum_inv(spm.deal_summary, boolean, numeric, integer)',
   '{"''(won=1,lost=0,open=0,cycle_deals=1,cycle_days=30,won_amount=100,lost_amount=0,open_amount=0)''", true, 100, 30}'),
  ('spm.forecast_range(numeric, numeric)', '{100, 0.5}'),
  ('spm.forecast_range(numeric, numeric, numeric)', '{100, 0.5, 0.01}'),
  ('spm.funnel(integer, integer)', '{2, 3}'),
  ('spm.funnel_accum(bigint[], integer, integer)', '{"''{1,1,0}''", 2, 3}'),
  ('spm.gini(numeric)', '{10}'),
  ('spm.group_attainment(numeric, numeric)', '{10, 20}'),
  ('spm.group_commission(numeric, spm.tier_schedule)', '{100, "''from 0 rate 5%''"}'),
  ('spm.group_commission(numeric, spm.tier_schedule, numeric)', '{100, "''from 0% rate 5%''", 1000}'),
  ('spm.mape(numeric, numeric)', '{110, 100}'),
  ('spm.max_deviation(numeric)', '{10}'),
  ('spm.max_min_ratio(numeric)', '{10}'),
  ('spm.nonrecoverable_draw(numeric, numeric)', '{100, 80}'),
  ('spm.payout_curve(spm.tier_schedule, numeric, numeric, integer, numeric)', '{"''curve; at 100% pay 100%''", 1000, 2, 4, 500}'),
  ('spm.pipeline_waterfall(date, date, text, numeric, date, text, numeric, date)',
   '{"''2024-07-01''", "''2024-10-01''", "''open''", 100, "''2024-08-01''", "''won''", 120, "''2024-07-20''"}'),
  ('spm.pipeline_waterfall_accum(spm.pipeline_waterfall, date, date, text, numeric, date, text, numeric, date)',
   '{"''(rows=1,period_start=20240701,period_end=20241001,opening=1,new=0,increased=0,decreased=0,pulled_in=0,pushed_out=0,won=0,lost=0,closing=1,opening_amount=5,new_amount=0,increased_amount=0,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,won_amount=0,lost_amount=0,closing_amount=5)''", "''2024-07-01''", "''2024-10-01''", "''open''", 100, "''2024-08-01''", "''won''", 120, "''2024-07-20''"}'),
  ('spm.propose_territory(text, numeric, text, text[], boolean, double precision, double precision, integer, numeric)',
   '{"''a''", 10, "''t1''", "ARRAY[''t1'', ''t2'']", false, 45, 9, 10, 0}'),
  ('spm.recoverable_draw(numeric, numeric, numeric)', '{100, 80, 1}'),
  ('spm.rollup(spm.accuracy_summary)', '{"''(periods=1,zero_actuals=0,forecast=5,actual=4,abs_error=1,abs_actual=4,ape=0.25)''::spm.accuracy_summary"}'),
  ('spm.rollup(spm.cycle_summary)', '{"''{3:1/2}''::spm.cycle_summary"}'),
  ('spm.rollup(spm.deal_summary)', '{"''(won=1,lost=0,open=0,cycle_deals=1,cycle_days=30,won_amount=100,lost_amount=0,open_amount=0)''::spm.deal_summary"}'),
  ('spm.rollup(spm.pipeline_waterfall)', '{"''(rows=1,period_start=20240701,period_end=20241001,opening=1,new=0,increased=0,decreased=0,pulled_in=0,pushed_out=0,won=0,lost=0,closing=1,opening_amount=5,new_amount=0,increased_amount=0,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,won_amount=0,lost_amount=0,closing_amount=5)''::spm.pipeline_waterfall"}'),
  ('spm.round_line(numeric, integer, text)', '{1.005, 2, "''half_up''"}'),
  ('spm.share_within(numeric, numeric)', '{10, 0.15}'),
  ('spm.stage_summary(integer, boolean)', '{3, true}'),
  ('spm.stage_summary_accum(spm.stage_summary, integer, boolean)', '{"''(won_1=1,lost_1=0,won_2=0,lost_2=0,won_3=0,lost_3=0,won_4=0,lost_4=0,won_5=0,lost_5=0,won_6=0,lost_6=0,won_7=0,lost_7=0,won_8=0,lost_8=0,won_9=0,lost_9=0,won_10=0,lost_10=0,won_11=0,lost_11=0,won_12=0,lost_12=0,won_13=0,lost_13=0,won_14=0,lost_14=0,won_15=0,lost_15=0,won_16=0,lost_16=0,won_17=0,lost_17=0,won_18=0,lost_18=0,won_19=0,lost_19=0,won_20=0,lost_20=0)''", 3, true}'),
  ('spm.stage_summary_accum_inv(spm.stage_summary, integer, boolean)', '{"''(won_1=1,lost_1=0,won_2=0,lost_2=0,won_3=0,lost_3=0,won_4=0,lost_4=0,won_5=0,lost_5=0,won_6=0,lost_6=0,won_7=0,lost_7=0,won_8=0,lost_8=0,won_9=0,lost_9=0,won_10=0,lost_10=0,won_11=0,lost_11=0,won_12=0,lost_12=0,won_13=0,lost_13=0,won_14=0,lost_14=0,won_15=0,lost_15=0,won_16=0,lost_16=0,won_17=0,lost_17=0,won_18=0,lost_18=0,won_19=0,lost_19=0,won_20=0,lost_20=0)''", 1, true}'),
  ('spm.rollup(spm.stage_summary)', '{"''(won_1=1,lost_1=0,won_2=0,lost_2=0,won_3=0,lost_3=0,won_4=0,lost_4=0,won_5=0,lost_5=0,won_6=0,lost_6=0,won_7=0,lost_7=0,won_8=0,lost_8=0,won_9=0,lost_9=0,won_10=0,lost_10=0,won_11=0,lost_11=0,won_12=0,lost_12=0,won_13=0,lost_13=0,won_14=0,lost_14=0,won_15=0,lost_15=0,won_16=0,lost_16=0,won_17=0,lost_17=0,won_18=0,lost_18=0,won_19=0,lost_19=0,won_20=0,lost_20=0)''::spm.stage_summary"}'),
  ('spm.split_share(numeric, numeric, boolean, integer)', '{100, 1, false, 2}'),
  ('spm.territory_index(numeric[], numeric[])', '{"ARRAY[1, 2]", "ARRAY[1, 1]"}'),
  ('spm.tier_schedule(numeric[], numeric[], text, boolean, numeric[], numeric)',
   '{"ARRAY[0, 100]", "ARRAY[0.05, 0.1]", "''marginal''", false, "ARRAY[0, 10]", 50}'),
  ('spm.tracking_signal(numeric, numeric)', '{110, 100}'),
  ('spm.value_win_rate(boolean, numeric)', '{true, 100}'),
  ('spm.wape(numeric, numeric)', '{110, 100}'),
  ('spm.win_rate(boolean)', '{true}'),
  ('spm.adjustment_line(numeric, numeric, integer, text)', '{1.005, 1.00, 2, "''half_up''"}'),
  ('spm.effective_deal_commission(numeric, date, daterange, spm.tier_schedule, text)',
   '{100, "''2026-03-05''", "''[2026-03-01,2026-04-01)''", "''from 0 rate 5%''", "''continue''"}'),
  ('spm.effective_deal_commission(numeric, date, daterange, spm.tier_schedule, numeric, text)',
   '{100, "''2026-03-05''", "''[2026-03-01,2026-04-01)''", "''from 0% rate 5%''", 1000, "''restart''"}');
-- the input checks read a table: this one has every column they look for, one row
CREATE TEMP TABLE check_sample (deal_id int, rep_id int, product text, amount numeric, created date,
                                close_date date, won boolean, share numeric, quota numeric,
                                list_price numeric, valid daterange);
INSERT INTO check_sample VALUES (1, 1, 'p', 0, '2024-02-01', '2024-01-01', true, 0.5, 0, 1, '[2024-01-01,2024-02-01)');
INSERT INTO samples VALUES
  ('spm.input_column(regclass, text, text, text)', '{"''check_sample''", "''amount''", "''amount_column''", "''exact number''"}'),
  ('spm.input_won(regclass, text)', '{"''check_sample''", "''won''"}'),
  ('spm.check_split_shares(regclass, text, text)', '{"''check_sample''", "''deal_id''", "''share''"}'),
  ('spm.check_duplicate_keys(regclass, text)', '{"''check_sample''", "''rep_id''"}'),
  ('spm.check_close_before_create(regclass, text, text, text)', '{"''check_sample''", "''deal_id''", "''created''", "''close_date''"}'),
  ('spm.check_won_amounts(regclass, text, text, text)', '{"''check_sample''", "''deal_id''", "''amount''", "''won''"}'),
  ('spm.check_references(regclass, text, regclass, text, text, boolean)', '{"''check_sample''", "''product''", "''check_sample''", "''product''", "''deal_id''", false}'),
  ('spm.check_credit_without_quota(regclass, regclass, text, text, text, text)', '{"''check_sample''", "''check_sample''", "''rep_id''", "''quota''", "''won''", "''rep_id''"}'),
  ('spm.check_overlapping_assignments(regclass, text, text)', '{"''check_sample''", "''rep_id''", "''valid''"}'),
  ('spm.check_list_prices(regclass, regclass, numeric, text, text, text, text, text, text)', '{"''check_sample''", "''check_sample''", 0.25, "''deal_id''", "''product''", "''amount''", "''list_price''", "''won''", "''product''"}'),
  ('spm.check_inputs(regclass, regclass, regclass, regclass, regclass, regclass, numeric)', '{"''check_sample''", "''check_sample''", "''check_sample''", "''check_sample''", "''check_sample''", "''check_sample''", 0.25}');

-- every non-strict function has its samples
SELECT p.oid::regprocedure AS without_samples
FROM pg_proc p
WHERE p.pronamespace = 'spm'::regnamespace AND NOT p.proisstrict
  AND p.oid NOT IN (SELECT fn FROM samples)
  AND p.prorettype <> 'trigger'::regtype;     -- a trigger function takes no arguments

-- One call: fn with args, as a plain call, a window over one row or an aggregate over
-- two rows; its outcome.
CREATE FUNCTION pg_temp.outcome(fn regprocedure, args text[]) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  kind "char" := (SELECT prokind FROM pg_proc WHERE oid = fn);
  call text := format('%s.%I(%s)', 'spm', (SELECT proname FROM pg_proc WHERE oid = fn),
                      array_to_string(args, ', '));
  result text;
BEGIN
  EXECUTE format(CASE kind WHEN 'w' THEN 'SELECT (%s OVER ())::text'
                           WHEN 'a' THEN 'SELECT (%s)::text FROM (VALUES (1), (2)) v(x)'
                           ELSE 'SELECT (%s)::text' END, call)
    INTO result;
  RETURN CASE WHEN result IS NULL THEN 'NULL' ELSE 'value' END;
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;

-- The sample arguments with argument i (1-based) NULL; 0: none, -1: all.
CREATE FUNCTION pg_temp.with_null(fn regprocedure, args text[], i integer) RETURNS text[]
LANGUAGE sql AS $$
  SELECT array_agg(CASE WHEN i = -1 OR k = i THEN 'NULL::' || format_type(t, NULL) ELSE a END ORDER BY k)
  FROM unnest(args, (SELECT proargtypes::oid[] FROM pg_proc WHERE oid = fn)) WITH ORDINALITY u(a, t, k)
$$;

SELECT s.fn,
       pg_temp.outcome(s.fn, s.args) AS samples,
       (SELECT string_agg(pg_temp.outcome(s.fn, pg_temp.with_null(s.fn, s.args, i)), ' ' ORDER BY i)
        FROM generate_series(1, cardinality(s.args)) i) AS each_null,
       pg_temp.outcome(s.fn, pg_temp.with_null(s.fn, s.args, -1)) AS all_null
FROM samples s
ORDER BY s.fn::text;
