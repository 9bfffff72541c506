
-- ---------------------------------------------------------------- effective dating: plan changes mid-period

CREATE FUNCTION @extschema@.prorate_schedule(schedule @extschema@.tier_schedule, period daterange, active daterange,
                                             scale integer DEFAULT 2)
RETURNS @extschema@.tier_schedule
AS 'MODULE_PATHNAME', 'spm_prorate_schedule'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_schedule(@extschema@.tier_schedule, daterange, daterange, integer) IS
'the schedule for the days of active within period: amount thresholds and an amount cap times active days / period days, each rounded half away from zero to scale decimals as prorate_days; rates, bonuses and relative thresholds and caps (% of quota, x target: prorate the quota) unchanged';

CREATE FUNCTION @extschema@.effective_deal_commission(amount numeric, close_date date, valid daterange,
                                                      schedule @extschema@.tier_schedule, rule text)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_effective_deal_commission'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.effective_deal_commission(numeric, date, daterange, @extschema@.tier_schedule, text) IS
'window function over a rep''s deals in close date order whose plan may change: each deal paid by the plan of its assignment (valid @> close_date) on the credit through it less that before it, the credit counted over the partition (rule continue) or from the start of the deal''s assignment (rule restart); overlapping assignments are 23P01';

CREATE FUNCTION @extschema@.effective_deal_commission(amount numeric, close_date date, valid daterange,
                                                      schedule @extschema@.tier_schedule, quota numeric, rule text)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_effective_deal_commission'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.effective_deal_commission(numeric, date, daterange, @extschema@.tier_schedule, numeric, text) IS
'window function over a rep''s deals in close date order whose plan and quota may change: each deal paid by the plan and quota of its assignment on the credit through it less that before it, counted over the partition (continue) or from the assignment''s start (restart)';
