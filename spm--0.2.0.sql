-- spm install script, assembled by the Makefile from src/*.sql (this file first).
-- Every object lives in schema spm and references others schema-qualified (@extschema@),
-- so calls pushed down to postgres_fdw shards (search_path = pg_catalog) still resolve.

\echo Use "CREATE EXTENSION spm" to load this file. \quit

COMMENT ON SCHEMA @extschema@ IS 'spm: exact sales performance management math';

-- ---------------------------------------------------------------- compensation

CREATE TYPE @extschema@.tier_schedule;

CREATE FUNCTION @extschema@.tier_schedule_in(cstring)
RETURNS @extschema@.tier_schedule
AS 'MODULE_PATHNAME', 'spm_tier_schedule_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_in(cstring) IS
'input function of tier_schedule: parses and validates the text form (22P02 naming the bad tier)';

CREATE FUNCTION @extschema@.tier_schedule_out(@extschema@.tier_schedule)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_tier_schedule_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_out(@extschema@.tier_schedule) IS
'output function of tier_schedule: the canonical text form, which reads back to the same value';

CREATE FUNCTION @extschema@.tier_schedule_recv(internal)
RETURNS @extschema@.tier_schedule
AS 'MODULE_PATHNAME', 'spm_tier_schedule_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_recv(internal) IS
'binary input function of tier_schedule: version byte, lengths checked, validated like text (08P01)';

CREATE FUNCTION @extschema@.tier_schedule_send(@extschema@.tier_schedule)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_tier_schedule_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_send(@extschema@.tier_schedule) IS
'binary output function of tier_schedule';

CREATE TYPE @extschema@.tier_schedule (
    INPUT = @extschema@.tier_schedule_in,
    OUTPUT = @extschema@.tier_schedule_out,
    RECEIVE = @extschema@.tier_schedule_recv,
    SEND = @extschema@.tier_schedule_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = main
);
COMMENT ON TYPE @extschema@.tier_schedule IS
'a commission plan as a value: marginal or retroactive tiers (amounts or % of quota), boundary rule, catch-up gates, step bonuses, a cap, or a pay curve';

CREATE FUNCTION @extschema@.tier_schedule(thresholds numeric[], rates numeric[],
                                          kind text DEFAULT 'marginal', of_quota boolean DEFAULT false,
                                          bonuses numeric[] DEFAULT NULL, cap numeric DEFAULT NULL)
RETURNS @extschema@.tier_schedule
AS 'MODULE_PATHNAME', 'spm_tier_schedule_from_arrays'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule(numeric[], numeric[], text, boolean, numeric[], numeric) IS
'a tier schedule from arrays: tier i starts at thresholds[i] (fractions of quota when of_quota) and pays rates[i] (fractions) plus bonuses[i] on reaching it; kind marginal or retroactive; optional cap';

CREATE FUNCTION @extschema@.tier_schedule(schedule jsonb)
RETURNS @extschema@.tier_schedule
AS 'MODULE_PATHNAME', 'spm_tier_schedule_from_jsonb'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule(jsonb) IS
'a tier schedule from jsonb: {"kind", "boundary", "basis": "amount"|"quota", "tiers": [{"from", "rate", "bonus", "catch_up"}] or "points": [{"at", "pay"}], "cap" or "cap_target_multiple"}';

CREATE FUNCTION @extschema@.to_jsonb(schedule @extschema@.tier_schedule)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'spm_tier_schedule_to_jsonb'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.to_jsonb(@extschema@.tier_schedule) IS
'the schedule as jsonb, the form tier_schedule(jsonb) reads back';

CREATE CAST (jsonb AS @extschema@.tier_schedule) WITH FUNCTION @extschema@.tier_schedule(jsonb);
CREATE CAST (@extschema@.tier_schedule AS jsonb) WITH FUNCTION @extschema@.to_jsonb(@extschema@.tier_schedule);

CREATE FUNCTION @extschema@.tier_schedule_eq(@extschema@.tier_schedule, @extschema@.tier_schedule)
RETURNS boolean
AS 'MODULE_PATHNAME', 'spm_tier_schedule_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_eq(@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'the same plan, however it was written (stored schedules are canonical)';

CREATE FUNCTION @extschema@.tier_schedule_ne(@extschema@.tier_schedule, @extschema@.tier_schedule)
RETURNS boolean
AS 'MODULE_PATHNAME', 'spm_tier_schedule_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_ne(@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'not the same plan';

CREATE FUNCTION @extschema@.tier_schedule_hash(@extschema@.tier_schedule)
RETURNS integer
AS 'MODULE_PATHNAME', 'spm_tier_schedule_hash'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_hash(@extschema@.tier_schedule) IS
'hash of a schedule, consistent with =';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.tier_schedule,
    RIGHTARG = @extschema@.tier_schedule,
    FUNCTION = @extschema@.tier_schedule_eq,
    COMMUTATOR = OPERATOR(@extschema@.=),
    NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel,
    JOIN = eqjoinsel,
    HASHES,
    MERGES
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'the same plan, however it was written';

CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.tier_schedule,
    RIGHTARG = @extschema@.tier_schedule,
    FUNCTION = @extschema@.tier_schedule_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>),
    NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel,
    JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<> (@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'not the same plan';

CREATE FUNCTION @extschema@.tier_schedule_hash_extended(@extschema@.tier_schedule, bigint)
RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_tier_schedule_hash_extended'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_hash_extended(@extschema@.tier_schedule, bigint) IS
'seeded 64-bit hash of a schedule, consistent with = (hash partitioning)';

CREATE OPERATOR CLASS @extschema@.tier_schedule_hash_ops
DEFAULT FOR TYPE @extschema@.tier_schedule USING hash AS
    OPERATOR 1 @extschema@.= (@extschema@.tier_schedule, @extschema@.tier_schedule),
    FUNCTION 1 @extschema@.tier_schedule_hash(@extschema@.tier_schedule),
    FUNCTION 2 @extschema@.tier_schedule_hash_extended(@extschema@.tier_schedule, bigint);
COMMENT ON OPERATOR CLASS @extschema@.tier_schedule_hash_ops USING hash IS
'SELECT DISTINCT, GROUP BY and hash joins on schedules, by plan';

CREATE FUNCTION @extschema@.tier_schedule_lt(@extschema@.tier_schedule, @extschema@.tier_schedule)
RETURNS boolean
AS 'MODULE_PATHNAME', 'spm_tier_schedule_lt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_lt(@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'comes before, in the order of canonical texts';

CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.tier_schedule,
    RIGHTARG = @extschema@.tier_schedule,
    FUNCTION = @extschema@.tier_schedule_lt,
    COMMUTATOR = OPERATOR(@extschema@.>),
    NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = scalarltsel,
    JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR @extschema@.< (@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'comes before, in the order of canonical texts';

CREATE FUNCTION @extschema@.tier_schedule_le(@extschema@.tier_schedule, @extschema@.tier_schedule)
RETURNS boolean
AS 'MODULE_PATHNAME', 'spm_tier_schedule_le'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_le(@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'comes before or is the same plan';

CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.tier_schedule,
    RIGHTARG = @extschema@.tier_schedule,
    FUNCTION = @extschema@.tier_schedule_le,
    COMMUTATOR = OPERATOR(@extschema@.>=),
    NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = scalarlesel,
    JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR @extschema@.<= (@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'comes before or is the same plan';

CREATE FUNCTION @extschema@.tier_schedule_gt(@extschema@.tier_schedule, @extschema@.tier_schedule)
RETURNS boolean
AS 'MODULE_PATHNAME', 'spm_tier_schedule_gt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_gt(@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'comes after, in the order of canonical texts';

CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.tier_schedule,
    RIGHTARG = @extschema@.tier_schedule,
    FUNCTION = @extschema@.tier_schedule_gt,
    COMMUTATOR = OPERATOR(@extschema@.<),
    NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = scalargtsel,
    JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR @extschema@.> (@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'comes after, in the order of canonical texts';

CREATE FUNCTION @extschema@.tier_schedule_ge(@extschema@.tier_schedule, @extschema@.tier_schedule)
RETURNS boolean
AS 'MODULE_PATHNAME', 'spm_tier_schedule_ge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_ge(@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'comes after or is the same plan';

CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.tier_schedule,
    RIGHTARG = @extschema@.tier_schedule,
    FUNCTION = @extschema@.tier_schedule_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=),
    NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = scalargesel,
    JOIN = scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.>= (@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'comes after or is the same plan';

CREATE FUNCTION @extschema@.tier_schedule_cmp(@extschema@.tier_schedule, @extschema@.tier_schedule)
RETURNS integer
AS 'MODULE_PATHNAME', 'spm_tier_schedule_cmp'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tier_schedule_cmp(@extschema@.tier_schedule, @extschema@.tier_schedule) IS
'-1, 0 or 1: the order of the schedules'' canonical texts, consistent with =';

CREATE OPERATOR CLASS @extschema@.tier_schedule_btree_ops
DEFAULT FOR TYPE @extschema@.tier_schedule USING btree AS
    OPERATOR 1 @extschema@.< (@extschema@.tier_schedule, @extschema@.tier_schedule),
    OPERATOR 2 @extschema@.<= (@extschema@.tier_schedule, @extschema@.tier_schedule),
    OPERATOR 3 @extschema@.= (@extschema@.tier_schedule, @extschema@.tier_schedule),
    OPERATOR 4 @extschema@.>= (@extschema@.tier_schedule, @extschema@.tier_schedule),
    OPERATOR 5 @extschema@.> (@extschema@.tier_schedule, @extschema@.tier_schedule),
    FUNCTION 1 @extschema@.tier_schedule_cmp(@extschema@.tier_schedule, @extschema@.tier_schedule);
COMMENT ON OPERATOR CLASS @extschema@.tier_schedule_btree_ops USING btree IS
'ORDER BY, count(DISTINCT ...), window PARTITION BY and btree indexes on schedules: the order of their canonical texts';

CREATE FUNCTION @extschema@.commission(amount numeric, schedule @extschema@.tier_schedule)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_commission_of'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission(numeric, @extschema@.tier_schedule) IS
'exact commission on a credited amount under an amount-based schedule';

CREATE FUNCTION @extschema@.commission(amount numeric, schedule @extschema@.tier_schedule, quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_commission_of'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission(numeric, @extschema@.tier_schedule, numeric) IS
'exact commission on a credited amount; thresholds in % of quota and a cap in multiples of target use this quota';

CREATE FUNCTION @extschema@.commission(amount numeric, schedule @extschema@.tier_schedule, quota numeric,
                                       target_incentive numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_curve_commission'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission(numeric, @extschema@.tier_schedule, numeric, numeric) IS
'pay curve payout: target_incentive * factor(amount / quota), linear between points (one numeric division), 0 below the first point, the last factor above the last';

CREATE FUNCTION @extschema@.commission_explain(amount numeric, schedule @extschema@.tier_schedule,
    OUT tier integer, OUT from_amount numeric, OUT to_amount numeric, OUT credited numeric,
    OUT rate numeric, OUT bonus numeric, OUT commission numeric, OUT note text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'spm_commission_explain'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION @extschema@.commission_explain(numeric, @extschema@.tier_schedule) IS
'payout statement: one row per tier touched (bounds, credited amount, rate paid, step bonus, commission) and one for the cap; the rows sum to commission()';

CREATE FUNCTION @extschema@.commission_explain(amount numeric, schedule @extschema@.tier_schedule, quota numeric,
    OUT tier integer, OUT from_amount numeric, OUT to_amount numeric, OUT credited numeric,
    OUT rate numeric, OUT bonus numeric, OUT commission numeric, OUT note text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'spm_commission_explain'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION @extschema@.commission_explain(numeric, @extschema@.tier_schedule, numeric) IS
'payout statement under a schedule with a quota: one row per tier touched and one for the cap; the rows sum to commission()';

CREATE FUNCTION @extschema@.commission_explain(amount numeric, schedule @extschema@.tier_schedule, quota numeric,
    target_incentive numeric,
    OUT tier integer, OUT from_amount numeric, OUT to_amount numeric, OUT credited numeric,
    OUT rate numeric, OUT bonus numeric, OUT commission numeric, OUT note text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'spm_commission_explain'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.commission_explain(numeric, @extschema@.tier_schedule, numeric, numeric) IS
'pay curve statement: the segment reached (tier = points reached), its bounds, the factor (rate) and the payout';

CREATE FUNCTION @extschema@.commission_what_if(credit numeric, deal numeric, schedule @extschema@.tier_schedule)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_commission_what_if'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_what_if(numeric, numeric, @extschema@.tier_schedule) IS
'what a prospective deal would earn now: commission(credit + deal) - commission(credit)';

CREATE FUNCTION @extschema@.commission_what_if(credit numeric, deal numeric, schedule @extschema@.tier_schedule,
                                               quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_commission_what_if'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_what_if(numeric, numeric, @extschema@.tier_schedule, numeric) IS
'what a prospective deal would earn now under a quota-relative schedule: commission(credit + deal) - commission(credit)';

CREATE FUNCTION @extschema@.credit_to_next_tier(credit numeric, schedule @extschema@.tier_schedule)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_credit_to_next_tier'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_to_next_tier(numeric, @extschema@.tier_schedule) IS
'credit still needed to reach the next tier (with boundary lower: more than this); NULL in the top tier';

CREATE FUNCTION @extschema@.credit_to_next_tier(credit numeric, schedule @extschema@.tier_schedule, quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_credit_to_next_tier'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_to_next_tier(numeric, @extschema@.tier_schedule, numeric) IS
'credit still needed to reach the next tier of a quota-relative schedule; NULL in the top tier';

CREATE FUNCTION @extschema@.deal_commission(amount numeric, schedule @extschema@.tier_schedule)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_deal_commission'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_commission(numeric, @extschema@.tier_schedule) IS
'window function: this deal''s commission given the credit before it in the partition (rows in window order, peers in the order sorted); sums exactly to the commission on the partition total';

CREATE FUNCTION @extschema@.deal_commission(amount numeric, schedule @extschema@.tier_schedule, quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_deal_commission'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_commission(numeric, @extschema@.tier_schedule, numeric) IS
'window function with a quota: this deal''s commission given the credit before it; sums exactly to the commission on the partition total';

CREATE FUNCTION @extschema@.deal_commission(amount numeric, curve @extschema@.tier_schedule, quota numeric, target_incentive numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_deal_commission'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_commission(numeric, @extschema@.tier_schedule, numeric, numeric) IS
'window function for a pay curve: this deal''s share of the payout, i.e. the payout on the credit through it minus the payout on the credit before it; sums exactly to the payout on the partition total';

CREATE TYPE @extschema@.commission_state;

CREATE FUNCTION @extschema@.commission_state_in(cstring)
RETURNS @extschema@.commission_state
AS 'MODULE_PATHNAME', 'spm_commission_state_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_state_in(cstring) IS
'input function of commission_state: "(credit=...) [quota=...] schedule=..."';

CREATE FUNCTION @extschema@.commission_state_out(@extschema@.commission_state)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_commission_state_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_state_out(@extschema@.commission_state) IS
'output function of commission_state';

CREATE FUNCTION @extschema@.commission_state_recv(internal)
RETURNS @extschema@.commission_state
AS 'MODULE_PATHNAME', 'spm_commission_state_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_state_recv(internal) IS
'binary input function of commission_state: version byte, length-prefixed quota, schedule and tally';

CREATE FUNCTION @extschema@.commission_state_send(@extschema@.commission_state)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_commission_state_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_state_send(@extschema@.commission_state) IS
'binary output function of commission_state';

CREATE TYPE @extschema@.commission_state (
    INPUT = @extschema@.commission_state_in,
    OUTPUT = @extschema@.commission_state_out,
    RECEIVE = @extschema@.commission_state_recv,
    SEND = @extschema@.commission_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.commission_state IS
'state of group_commission: the group''s schedule and quota and the exact sum of its credit';

CREATE FUNCTION @extschema@.commission_accum(state @extschema@.commission_state, amount numeric,
                                             schedule @extschema@.tier_schedule)
RETURNS @extschema@.commission_state
AS 'MODULE_PATHNAME', 'spm_commission_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_accum(@extschema@.commission_state, numeric, @extschema@.tier_schedule) IS
'transition function of group_commission: adds a non-NULL amount; the schedule must be the same on every row';

CREATE FUNCTION @extschema@.commission_accum(state @extschema@.commission_state, amount numeric,
                                             schedule @extschema@.tier_schedule, quota numeric)
RETURNS @extschema@.commission_state
AS 'MODULE_PATHNAME', 'spm_commission_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_accum(@extschema@.commission_state, numeric, @extschema@.tier_schedule, numeric) IS
'transition function of group_commission with a quota: the schedule and quota must be the same on every row';

CREATE FUNCTION @extschema@.commission_accum_inv(state @extschema@.commission_state, amount numeric,
    schedule @extschema@.tier_schedule)
RETURNS @extschema@.commission_state
AS 'MODULE_PATHNAME', 'spm_commission_accum_inv'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_accum_inv(@extschema@.commission_state, numeric, @extschema@.tier_schedule) IS
'inverse transition function of group_commission: removes a row that leaves a moving window';

CREATE FUNCTION @extschema@.commission_accum_inv(state @extschema@.commission_state, amount numeric,
    schedule @extschema@.tier_schedule, quota numeric)
RETURNS @extschema@.commission_state
AS 'MODULE_PATHNAME', 'spm_commission_accum_inv'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_accum_inv(@extschema@.commission_state, numeric, @extschema@.tier_schedule, numeric) IS
'inverse transition function of group_commission with a quota: removes a row that leaves a moving window';

CREATE FUNCTION @extschema@.commission_combine(@extschema@.commission_state, @extschema@.commission_state)
RETURNS @extschema@.commission_state
AS 'MODULE_PATHNAME', 'spm_commission_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_combine(@extschema@.commission_state, @extschema@.commission_state) IS
'combine function of group_commission: adds two partial credits of the same schedule and quota';

CREATE FUNCTION @extschema@.commission_final(@extschema@.commission_state)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_commission_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.commission_final(@extschema@.commission_state) IS
'final function of group_commission: the commission on the group''s total credit';

CREATE AGGREGATE @extschema@.group_commission(amount numeric, schedule @extschema@.tier_schedule) (
    SFUNC = @extschema@.commission_accum,
    STYPE = @extschema@.commission_state,
    FINALFUNC = @extschema@.commission_final,
    COMBINEFUNC = @extschema@.commission_combine,
    MSFUNC = @extschema@.commission_accum,
    MINVFUNC = @extschema@.commission_accum_inv,
    MSTYPE = @extschema@.commission_state,
    MFINALFUNC = @extschema@.commission_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.group_commission(numeric, @extschema@.tier_schedule) IS
'commission on a group''s total credit (never a sum of per-row commissions); the schedule must be the same on every row';

CREATE AGGREGATE @extschema@.group_commission(amount numeric, schedule @extschema@.tier_schedule, quota numeric) (
    SFUNC = @extschema@.commission_accum,
    STYPE = @extschema@.commission_state,
    FINALFUNC = @extschema@.commission_final,
    COMBINEFUNC = @extschema@.commission_combine,
    MSFUNC = @extschema@.commission_accum,
    MINVFUNC = @extschema@.commission_accum_inv,
    MSTYPE = @extschema@.commission_state,
    MFINALFUNC = @extschema@.commission_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.group_commission(numeric, @extschema@.tier_schedule, numeric) IS
'commission on a group''s total credit under a quota-relative schedule; schedule and quota the same on every row';

-- ---------------------------------------------------------------- payout: draws, splits, rounding

CREATE TYPE @extschema@.draw_period AS (payout numeric, advance numeric, recovered numeric, balance numeric);
COMMENT ON TYPE @extschema@.draw_period IS
'one period of a draw: payout = earnings + advance - recovered; balance = balance before + advance - recovered (always 0 for a non-recoverable draw)';

CREATE FUNCTION @extschema@.nonrecoverable_draw(earnings numeric, draw numeric)
RETURNS @extschema@.draw_period
AS 'MODULE_PATHNAME', 'spm_nonrecoverable_draw'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nonrecoverable_draw(numeric, numeric) IS
'non-recoverable draw for one period: pays the greater of earnings and draw, carries no balance; NULL, NaN, infinite or negative draw and NULL, NaN or infinite earnings are errors';

CREATE FUNCTION @extschema@.recoverable_draw(earnings numeric, draw numeric, recovery_share numeric DEFAULT 1)
RETURNS @extschema@.draw_period
AS 'MODULE_PATHNAME', 'spm_recoverable_draw'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.recoverable_draw(numeric, numeric, numeric) IS
'window function over a rep''s periods (PARTITION BY rep ORDER BY period): pays at least the draw, carries the shortfall as a balance and recovers it only from earnings above the draw, at most recovery_share (0..1) of them per period; exact, linear time';

CREATE FUNCTION @extschema@.split(amount numeric, shares numeric[], allow_overlay boolean DEFAULT false,
                                  scale integer DEFAULT 2)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_split'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.split(numeric, numeric[], boolean, integer) IS
'credits amount to reps by shares (each 0..1) in whole units of 10^-scale: shares must sum to exactly 1 and the parts sum exactly to amount (largest remainder); with allow_overlay, shares may sum to anything (overlay credit) and each part is amount * share within one unit, the parts summing to amount * sum(shares) rounded half away from zero';

CREATE FUNCTION @extschema@.split_share(amount numeric, share numeric, allow_overlay boolean DEFAULT false,
                                        scale integer DEFAULT 2)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_split_share'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.split_share(numeric, numeric, boolean, integer) IS
'window function over a deal''s credit rows (PARTITION BY deal ORDER BY rep): this row''s part of the deal amount, as spm.split; ties go to the earlier row in the window order';

CREATE FUNCTION @extschema@.round_lines(lines numeric[], scale integer DEFAULT 2, rounding text DEFAULT 'half_up')
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_round_lines_array'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.round_lines(numeric[], integer, text) IS
'rounds payout lines to whole units of 10^-scale so that they sum exactly to their exact total rounded by rounding (''half_up'': halves away from zero, or ''half_even''); lines take the floor, leftover units go to the largest remainders, ties to the earlier line; a negative total mirrors a positive one; NULL lines stay NULL';

CREATE FUNCTION @extschema@.round_line(line numeric, scale integer DEFAULT 2, rounding text DEFAULT 'half_up')
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_round_line'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.round_line(numeric, integer, text) IS
'window function over a statement''s lines (PARTITION BY statement ORDER BY line): this line rounded as spm.round_lines, the partition''s lines summing exactly to their rounded total';

-- ---------------------------------------------------------------- pipeline analytics

CREATE FUNCTION @extschema@.normal_quantile(p numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_normal_quantile'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normal_quantile(numeric) IS
'the z with P(Z <= z) = p for a standard normal Z, 0 < p < 1, computed in numeric arithmetic (Newton on erf) and rounded to 30 decimals';

CREATE FUNCTION @extschema@.wilson_lower(won bigint, closed bigint, confidence numeric DEFAULT 0.95)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_wilson_lower'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.wilson_lower(bigint, bigint, numeric) IS
'lower bound of the Wilson score interval of the win rate won / closed at a two-sided confidence in (0, 1), rounded to 20 decimals; NULL when nothing is closed';

CREATE FUNCTION @extschema@.wilson_upper(won bigint, closed bigint, confidence numeric DEFAULT 0.95)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_wilson_upper'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.wilson_upper(bigint, bigint, numeric) IS
'upper bound of the Wilson score interval of the win rate won / closed at a two-sided confidence in (0, 1), rounded to 20 decimals; NULL when nothing is closed';

CREATE FUNCTION @extschema@.smoothed_win_rate(won bigint, closed bigint, prior_rate numeric, prior_weight numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_smoothed_win_rate'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.smoothed_win_rate(bigint, bigint, numeric, numeric) IS
'Bayesian-smoothed win rate (won + prior_rate * prior_weight) / (closed + prior_weight): prior_weight pseudo-deals won at prior_rate; NULL when the denominator is zero';

CREATE FUNCTION @extschema@.sales_velocity(opportunities numeric, avg_deal_size numeric, win_rate numeric, cycle_days numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_sales_velocity'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity(numeric, numeric, numeric, numeric) IS
'sales velocity, revenue per day: opportunities * avg_deal_size * win_rate / cycle_days, one exact product and one division; NULL for a zero cycle';

CREATE FUNCTION @extschema@.pipeline_coverage(pipeline numeric, remaining_quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_pipeline_coverage'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pipeline_coverage(numeric, numeric) IS
'pipeline coverage: open pipeline / quota still to close; NULL when nothing remains to close (remaining quota zero or less)';

CREATE FUNCTION @extschema@.required_coverage(win_rate numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_required_coverage'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.required_coverage(numeric) IS
'the pipeline coverage a win rate requires: 1 / win_rate; NULL for a zero win rate';

CREATE FUNCTION @extschema@.expected_attainment(booked numeric, pipeline numeric, win_rate numeric, quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_expected_attainment'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.expected_attainment(numeric, numeric, numeric, numeric) IS
'expected attainment: (booked + pipeline * win_rate) / quota; NULL for a zero quota';

-- funnel: per-stage counts and conversions from each deal's furthest stage reached

CREATE TYPE @extschema@.funnel_stage AS (
    stage      integer,   -- ordinal, 1 = first stage
    reached    bigint,    -- deals whose furthest stage is this one or later
    stopped    bigint,    -- deals whose furthest stage is this one
    conversion numeric,   -- reached / reached at the previous stage (NULL for stage 1)
    cumulative numeric    -- reached / reached at stage 1: the overall conversion at the last stage
);
COMMENT ON TYPE @extschema@.funnel_stage IS
'one stage of spm.funnel: stage, reached, stopped, conversion from the previous stage, cumulative conversion from the first stage';

CREATE FUNCTION @extschema@.funnel_accum(state bigint[], furthest_stage integer, stages integer)
RETURNS bigint[]
AS 'MODULE_PATHNAME', 'spm_funnel_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_accum(bigint[], integer, integer) IS
'transition function of funnel: counts one deal at its furthest stage (NULL stages are ignored)';

CREATE FUNCTION @extschema@.funnel_combine(bigint[], bigint[])
RETURNS bigint[]
AS 'MODULE_PATHNAME', 'spm_funnel_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_combine(bigint[], bigint[]) IS
'combine function of funnel: adds two partial per-stage counts';

CREATE FUNCTION @extschema@.funnel_final(bigint[])
RETURNS @extschema@.funnel_stage[]
AS 'MODULE_PATHNAME', 'spm_funnel_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_final(bigint[]) IS
'final function of funnel: per-stage reached and stopped counts, stage-to-stage and cumulative conversion';

CREATE AGGREGATE @extschema@.funnel(furthest_stage integer, stages integer) (
    SFUNC = @extschema@.funnel_accum,
    STYPE = bigint[],
    FINALFUNC = @extschema@.funnel_final,
    COMBINEFUNC = @extschema@.funnel_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.funnel(integer, integer) IS
'funnel conversion from each deal''s furthest stage reached (1..stages): one spm.funnel_stage per stage';

-- the deal summary: a two-step, roll-up-able state of counts and exact sums

CREATE TYPE @extschema@.deal_summary;

CREATE FUNCTION @extschema@.deal_summary_in(cstring)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_in(cstring) IS
'text input of deal_summary: (won=<n>,lost=<n>,open=<n>,cycle_deals=<n>,cycle_days=<n>,won_amount=<sum>,lost_amount=<sum>,open_amount=<sum>)';

CREATE FUNCTION @extschema@.deal_summary_out(@extschema@.deal_summary)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_deal_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_out(@extschema@.deal_summary) IS
'text output of deal_summary: every count and exact sum, named';

CREATE FUNCTION @extschema@.deal_summary_recv(internal)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_recv(internal) IS
'binary input of deal_summary (version byte, the counts, then the sums as numerics)';

CREATE FUNCTION @extschema@.deal_summary_send(@extschema@.deal_summary)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_deal_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_send(@extschema@.deal_summary) IS
'binary output of deal_summary';

CREATE TYPE @extschema@.deal_summary (
    INPUT = @extschema@.deal_summary_in,
    OUTPUT = @extschema@.deal_summary_out,
    RECEIVE = @extschema@.deal_summary_recv,
    SEND = @extschema@.deal_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.deal_summary IS
'counts of won, lost and open deals, closed deals with a known cycle and their cycle days, and exact won, lost and open amounts; store it, roll it up with spm.rollup';

CREATE FUNCTION @extschema@.deal_summary_accum(state @extschema@.deal_summary, won boolean, amount numeric, cycle_days integer)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_accum(@extschema@.deal_summary, boolean, numeric, integer) IS
'transition function of deal_summary: adds one deal (won NULL = open; cycle_days counted for closed deals when not NULL)';

CREATE FUNCTION @extschema@.deal_summary_accum_inv(state @extschema@.deal_summary, won boolean, amount numeric, cycle_days integer)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_accum_inv'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_accum_inv(@extschema@.deal_summary, boolean, numeric, integer) IS
'inverse transition function of deal_summary: removes a deal that leaves a moving window';

CREATE FUNCTION @extschema@.deal_summary_merge(@extschema@.deal_summary, @extschema@.deal_summary)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_merge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_merge(@extschema@.deal_summary, @extschema@.deal_summary) IS
'adds two deal summaries field by field: the combine function of win_rate, value_win_rate and deal_summary, and the transition function of rollup';

CREATE FUNCTION @extschema@.deal_summary_unmerge(@extschema@.deal_summary, @extschema@.deal_summary)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_unmerge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_unmerge(@extschema@.deal_summary, @extschema@.deal_summary) IS
'subtracts a deal summary that was added: the inverse transition function of rollup';

CREATE FUNCTION @extschema@.win_rate_accum(state @extschema@.deal_summary, won boolean)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_win_rate_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.win_rate_accum(@extschema@.deal_summary, boolean) IS
'transition function of win_rate: counts a closed deal as won or lost (open deals, NULL, are skipped)';

CREATE FUNCTION @extschema@.win_rate_accum_inv(state @extschema@.deal_summary, won boolean)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_win_rate_accum_inv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.win_rate_accum_inv(@extschema@.deal_summary, boolean) IS
'inverse transition function of win_rate: removes a closed deal that leaves a moving window';

CREATE FUNCTION @extschema@.value_win_rate_accum(state @extschema@.deal_summary, won boolean, amount numeric)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_value_win_rate_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.value_win_rate_accum(@extschema@.deal_summary, boolean, numeric) IS
'transition function of value_win_rate: adds a closed deal''s amount to the won or lost amount (rows with a NULL outcome or amount are skipped)';

CREATE FUNCTION @extschema@.value_win_rate_accum_inv(state @extschema@.deal_summary, won boolean, amount numeric)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_value_win_rate_accum_inv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.value_win_rate_accum_inv(@extschema@.deal_summary, boolean, numeric) IS
'inverse transition function of value_win_rate: removes a closed deal that leaves a moving window';

-- accessors

CREATE FUNCTION @extschema@.won_count(summary @extschema@.deal_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_summary_won_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.won_count(@extschema@.deal_summary) IS 'deals won';

CREATE FUNCTION @extschema@.lost_count(summary @extschema@.deal_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_summary_lost_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lost_count(@extschema@.deal_summary) IS 'deals lost';

CREATE FUNCTION @extschema@.open_count(summary @extschema@.deal_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_summary_open_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.open_count(@extschema@.deal_summary) IS 'deals still open';

CREATE FUNCTION @extschema@.closed_count(summary @extschema@.deal_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_summary_closed_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.closed_count(@extschema@.deal_summary) IS 'deals closed: won + lost';

CREATE FUNCTION @extschema@.won_amount(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_won_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.won_amount(@extschema@.deal_summary) IS 'exact sum of the won deals'' amounts';

CREATE FUNCTION @extschema@.lost_amount(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_lost_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lost_amount(@extschema@.deal_summary) IS 'exact sum of the lost deals'' amounts';

CREATE FUNCTION @extschema@.open_amount(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_open_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.open_amount(@extschema@.deal_summary) IS 'exact sum of the open deals'' amounts: the open pipeline';

CREATE FUNCTION @extschema@.win_rate(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_win_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.win_rate(@extschema@.deal_summary) IS
'won / (won + lost); NULL when nothing is closed';

CREATE FUNCTION @extschema@.value_win_rate(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_value_win_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.value_win_rate(@extschema@.deal_summary) IS
'won amount / (won + lost amount); NULL when the closed amount is zero';

CREATE FUNCTION @extschema@.avg_deal_size(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_avg_deal_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.avg_deal_size(@extschema@.deal_summary) IS
'average won deal: won amount / won deals; NULL when nothing is won';

CREATE FUNCTION @extschema@.avg_cycle_days(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_avg_cycle_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.avg_cycle_days(@extschema@.deal_summary) IS
'average sales cycle of the closed deals whose cycle is known, in days; NULL when there are none';

CREATE FUNCTION @extschema@.sales_velocity(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_sales_velocity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity(@extschema@.deal_summary) IS
'sales velocity of a summary: open deals * average won deal * win rate / average cycle, computed as one exact division; NULL without closed deals or cycle days';

CREATE FUNCTION @extschema@.wilson_lower(summary @extschema@.deal_summary, confidence numeric DEFAULT 0.95)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT @extschema@.wilson_lower(@extschema@.won_count(summary), @extschema@.closed_count(summary), confidence) $$;
COMMENT ON FUNCTION @extschema@.wilson_lower(@extschema@.deal_summary, numeric) IS
'lower Wilson bound of a summary''s win rate';

CREATE FUNCTION @extschema@.wilson_upper(summary @extschema@.deal_summary, confidence numeric DEFAULT 0.95)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT @extschema@.wilson_upper(@extschema@.won_count(summary), @extschema@.closed_count(summary), confidence) $$;
COMMENT ON FUNCTION @extschema@.wilson_upper(@extschema@.deal_summary, numeric) IS
'upper Wilson bound of a summary''s win rate';

CREATE FUNCTION @extschema@.smoothed_win_rate(summary @extschema@.deal_summary, prior_rate numeric, prior_weight numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT @extschema@.smoothed_win_rate(@extschema@.won_count(summary), @extschema@.closed_count(summary), prior_rate, prior_weight) $$;
COMMENT ON FUNCTION @extschema@.smoothed_win_rate(@extschema@.deal_summary, numeric, numeric) IS
'Bayesian-smoothed win rate of a summary';

-- aggregates

CREATE AGGREGATE @extschema@.win_rate(won boolean) (
    SFUNC = @extschema@.win_rate_accum,
    STYPE = @extschema@.deal_summary,
    INITCOND = '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)',
    FINALFUNC = @extschema@.win_rate,
    COMBINEFUNC = @extschema@.deal_summary_merge,
    MSFUNC = @extschema@.win_rate_accum,
    MINVFUNC = @extschema@.win_rate_accum_inv,
    MSTYPE = @extschema@.deal_summary,
    MINITCOND = '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)',
    MFINALFUNC = @extschema@.win_rate,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.win_rate(boolean) IS
'win rate: won / (won + lost) from a boolean outcome, NULL (open) ignored; NULL when nothing is closed; parallel, moving windows';

CREATE AGGREGATE @extschema@.value_win_rate(won boolean, amount numeric) (
    SFUNC = @extschema@.value_win_rate_accum,
    STYPE = @extschema@.deal_summary,
    INITCOND = '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)',
    FINALFUNC = @extschema@.value_win_rate,
    COMBINEFUNC = @extschema@.deal_summary_merge,
    MSFUNC = @extschema@.value_win_rate_accum,
    MINVFUNC = @extschema@.value_win_rate_accum_inv,
    MSTYPE = @extschema@.deal_summary,
    MINITCOND = '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)',
    MFINALFUNC = @extschema@.value_win_rate,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.value_win_rate(boolean, numeric) IS
'value-weighted win rate: won amount / closed amount, rows with a NULL outcome or amount ignored; NULL when the closed amount is zero; parallel, moving windows';

CREATE AGGREGATE @extschema@.deal_summary(won boolean, amount numeric, cycle_days integer) (
    SFUNC = @extschema@.deal_summary_accum,
    STYPE = @extschema@.deal_summary,
    COMBINEFUNC = @extschema@.deal_summary_merge,
    MSFUNC = @extschema@.deal_summary_accum,
    MINVFUNC = @extschema@.deal_summary_accum_inv,
    MSTYPE = @extschema@.deal_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.deal_summary(boolean, numeric, integer) IS
'the deal summary of a group: won (NULL = open), amount (not NULL), cycle_days (of closed deals; NULL = unknown); parallel, moving windows';

CREATE AGGREGATE @extschema@.rollup(@extschema@.deal_summary) (
    SFUNC = @extschema@.deal_summary_merge,
    STYPE = @extschema@.deal_summary,
    COMBINEFUNC = @extschema@.deal_summary_merge,
    MSFUNC = @extschema@.deal_summary_merge,
    MINVFUNC = @extschema@.deal_summary_unmerge,
    MSTYPE = @extschema@.deal_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.deal_summary) IS
'adds stored deal summaries exactly (NULLs ignored): daily summaries roll up to weeks, quarters, regions or rolling windows; parallel, moving windows';

-- ---------------------------------------------------------------- quota & attainment

CREATE FUNCTION @extschema@.attainment(actual numeric, quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_attainment'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment(numeric, numeric) IS
'actual / quota; NULL when the quota is zero; error on a negative, NaN or infinite quota';

-- The group_attainment state: the exact sums of actual and of quota, e.g. (actual=1250.00,quota=2000.00).
CREATE TYPE @extschema@.attainment_state;

CREATE FUNCTION @extschema@.attainment_state_in(cstring)
RETURNS @extschema@.attainment_state
AS 'MODULE_PATHNAME', 'spm_attainment_state_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_state_in(cstring) IS
'text input of attainment_state: (actual=<sum>,quota=<sum>)';

CREATE FUNCTION @extschema@.attainment_state_out(@extschema@.attainment_state)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_attainment_state_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_state_out(@extschema@.attainment_state) IS
'text output of attainment_state: (actual=<sum>,quota=<sum>)';

CREATE FUNCTION @extschema@.attainment_state_recv(internal)
RETURNS @extschema@.attainment_state
AS 'MODULE_PATHNAME', 'spm_attainment_state_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_state_recv(internal) IS
'binary input of attainment_state (version byte, then the sums as numerics)';

CREATE FUNCTION @extschema@.attainment_state_send(@extschema@.attainment_state)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_attainment_state_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_state_send(@extschema@.attainment_state) IS
'binary output of attainment_state';

CREATE TYPE @extschema@.attainment_state (
    INPUT = @extschema@.attainment_state_in,
    OUTPUT = @extschema@.attainment_state_out,
    RECEIVE = @extschema@.attainment_state_recv,
    SEND = @extschema@.attainment_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.attainment_state IS
'state of group_attainment: exact sums of actual and quota (128-bit fixed point, numeric beyond)';

CREATE FUNCTION @extschema@.attainment_accum(state @extschema@.attainment_state, actual numeric, quota numeric)
RETURNS @extschema@.attainment_state
AS 'MODULE_PATHNAME', 'spm_attainment_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_accum(@extschema@.attainment_state, numeric, numeric) IS
'transition function of group_attainment: adds the non-NULL actual and quota to the sums';

CREATE FUNCTION @extschema@.attainment_accum_inv(state @extschema@.attainment_state, actual numeric, quota numeric)
RETURNS @extschema@.attainment_state
AS 'MODULE_PATHNAME', 'spm_attainment_accum_inv'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_accum_inv(@extschema@.attainment_state, numeric, numeric) IS
'inverse transition function of group_attainment: removes a row that leaves a moving window';

CREATE FUNCTION @extschema@.attainment_combine(@extschema@.attainment_state, @extschema@.attainment_state)
RETURNS @extschema@.attainment_state
AS 'MODULE_PATHNAME', 'spm_attainment_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_combine(@extschema@.attainment_state, @extschema@.attainment_state) IS
'combine function of group_attainment: adds two partial states';

CREATE FUNCTION @extschema@.attainment_final(@extschema@.attainment_state)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_attainment_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_final(@extschema@.attainment_state) IS
'final function of group_attainment: sum of actual / sum of quota, NULL when the quota sum is zero';

CREATE AGGREGATE @extschema@.group_attainment(actual numeric, quota numeric) (
    SFUNC = @extschema@.attainment_accum,
    STYPE = @extschema@.attainment_state,
    FINALFUNC = @extschema@.attainment_final,
    COMBINEFUNC = @extschema@.attainment_combine,
    MSFUNC = @extschema@.attainment_accum,
    MINVFUNC = @extschema@.attainment_accum_inv,
    MSTYPE = @extschema@.attainment_state,
    MFINALFUNC = @extschema@.attainment_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.group_attainment(numeric, numeric) IS
'attainment of a group: sum(actual) / sum(quota), NULLs of each column ignored, never an average of ratios';

CREATE FUNCTION @extschema@.allocate(total numeric, weights numeric[], scale integer DEFAULT 2)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_allocate'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.allocate(numeric, numeric[], integer) IS
'splits total into parts proportional to weights, each a multiple of 10^-scale, summing exactly to total (largest remainder, ties to the earlier part); all-zero weights split evenly; a NULL weight gets NULL';

CREATE FUNCTION @extschema@.allocate_share(total numeric, weight numeric, scale integer DEFAULT 2)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_allocate_share'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.allocate_share(numeric, numeric, integer) IS
'window function: this row''s part of the partition''s total, proportional to weight, a multiple of 10^-scale; parts sum exactly to the total; ties go to the earlier row in the window order';
-- ---------------------------------------------------------------- proration, ramps, pacing

CREATE FUNCTION @extschema@.prorate_days(quota numeric, period daterange, active daterange,
                                         scale integer DEFAULT 2)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_prorate_days'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_days(numeric, daterange, daterange, integer) IS
'quota * (days of active within period) / (days of period), rounded half away from zero to scale decimals exactly; the period must be finite and non-empty, active may be unbounded or empty';

CREATE FUNCTION @extschema@.prorate_months(quota numeric, period daterange, active daterange,
                                           min_days integer DEFAULT 15, scale integer DEFAULT 2)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_prorate_months'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_months(numeric, daterange, daterange, integer, integer) IS
'quota * (months of period in which active covers at least min(min_days, days in the month) days) / (months of period), rounded half away from zero to scale decimals exactly; the period must be whole calendar months';

CREATE FUNCTION @extschema@.prorate_days(quota numeric, period daterange, active daterange,
                                         weights numeric[], scale integer DEFAULT 2)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_prorate_days_weighted'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_days(numeric, daterange, daterange, numeric[], integer) IS
'seasonal proration: the whole-month period is split into equal sub-periods, one per weight; sub-period i carries quota * w_i / sum(w) prorated by its days; the exact sum is rounded once, half away from zero, to scale decimals';

CREATE FUNCTION @extschema@.ramp_quota(full_quota numeric, tenure_month integer, schedule numeric[])
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_ramp_quota'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ramp_quota(numeric, integer, numeric[]) IS
'full_quota * schedule[tenure_month] exactly (1-based); the full quota after the schedule ends, 0 before tenure month 1';

CREATE FUNCTION @extschema@.tenure_month(hire_date date, month date)
RETURNS integer
AS 'MODULE_PATHNAME', 'spm_tenure_month_of'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tenure_month(date, date) IS
'calendar month of tenure: 1 for the month of hire_date, 2 for the next, zero or less before it';

CREATE FUNCTION @extschema@.pacing(actual numeric, quota numeric, period daterange, as_of date)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_pacing'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pacing(numeric, numeric, daterange, date) IS
'actual / (quota * elapsed days / period days), elapsed days counting through as_of and clamped to the period; NULL when that expectation is zero; a plain numeric division';

CREATE FUNCTION @extschema@.run_rate(actual numeric, period daterange, as_of date)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_run_rate'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.run_rate(numeric, daterange, date) IS
'actual * period days / elapsed days, elapsed days counting through as_of and clamped to the period; NULL before the period; a plain numeric division';
-- ---------------------------------------------------------------- territory balance

-- The balance aggregates keep every value (the Gini coefficient needs them all): their
-- state is numeric[] {tolerance, value, value, ...}, tolerance NULL when not taken.
CREATE FUNCTION @extschema@.balance_accum(state numeric[], value numeric)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_balance_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.balance_accum(numeric[], numeric) IS
'transition function of the territory balance aggregates: appends a territory''s value (finite, >= 0) to the state {tolerance, values...}';

CREATE FUNCTION @extschema@.balance_accum(state numeric[], value numeric, tolerance numeric)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_balance_accum_tolerance'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.balance_accum(numeric[], numeric, numeric) IS
'transition function of the territory balance aggregates that take a tolerance: keeps the one tolerance in element 1 and appends the value';

CREATE FUNCTION @extschema@.balance_combine(numeric[], numeric[])
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_balance_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.balance_combine(numeric[], numeric[]) IS
'combine function of the territory balance aggregates: the values of both partial states, with the tolerance they share';

CREATE FUNCTION @extschema@.gini_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_gini_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.gini_final(numeric[]) IS
'final function of spm.gini: sum_i sum_j |x_i - x_j| / (2 n^2 mean), rounded half up to 20 decimals';

CREATE FUNCTION @extschema@.cv_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_cv_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cv_final(numeric[]) IS
'final function of spm.cv: population standard deviation / mean, rounded half up to 20 decimals, every digit exact';

CREATE FUNCTION @extschema@.max_min_ratio_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_max_min_ratio_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.max_min_ratio_final(numeric[]) IS
'final function of spm.max_min_ratio: largest / smallest value, rounded half up to 20 decimals; NULL when only the smallest is zero';

CREATE FUNCTION @extschema@.max_deviation_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_max_deviation_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.max_deviation_final(numeric[]) IS
'final function of spm.max_deviation: max |x - mean| / mean, rounded half up to 20 decimals';

CREATE FUNCTION @extschema@.balance_score_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_balance_score_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.balance_score_final(numeric[]) IS
'final function of spm.balance_score: 100 * (1 - largest relative deviation), at least 0, rounded half up to 2 decimals';

CREATE FUNCTION @extschema@.share_within_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_share_within_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.share_within_final(numeric[]) IS
'final function of spm.share_within: the share of values with |x - mean| <= tolerance * mean, rounded half up to 20 decimals';

CREATE TYPE @extschema@.balance_report AS (
    territories   bigint,
    total         numeric,
    mean          numeric,
    min           numeric,
    max           numeric,
    gini          numeric,
    cv            numeric,
    max_min_ratio numeric,
    max_deviation numeric,
    share_within  numeric,
    score         numeric
);
COMMENT ON TYPE @extschema@.balance_report IS
'every territory balance score of a set of territories (see spm.balance)';

CREATE FUNCTION @extschema@.balance_report_final(numeric[]) RETURNS @extschema@.balance_report
AS 'MODULE_PATHNAME', 'spm_balance_report_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.balance_report_final(numeric[]) IS
'final function of spm.balance: every balance score as an spm.balance_report';

CREATE AGGREGATE @extschema@.gini(value numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.gini_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.gini(numeric) IS
'Gini coefficient of per-territory values: sum_i sum_j |x_i - x_j| / (2 n^2 mean), 0 = equal, at most (n-1)/n; 0 when all are zero; exact, rounded half up to 20 decimals';

CREATE AGGREGATE @extschema@.cv(value numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.cv_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.cv(numeric) IS
'coefficient of variation of per-territory values: population standard deviation / mean; 0 when all are zero; rounded half up to 20 decimals, every digit exact';

CREATE AGGREGATE @extschema@.max_min_ratio(value numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.max_min_ratio_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.max_min_ratio(numeric) IS
'largest / smallest per-territory value, rounded half up to 20 decimals; 1 when all are zero, NULL when only the smallest is';

CREATE AGGREGATE @extschema@.max_deviation(value numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.max_deviation_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.max_deviation(numeric) IS
'largest relative deviation from the mean, max |x - mean| / mean; 0 when all are zero; exact, rounded half up to 20 decimals';

CREATE AGGREGATE @extschema@.balance_score(value numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.balance_score_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.balance_score(numeric) IS
'0-100 balance score: 100 * (1 - largest relative deviation from the mean), at least 0; 85 or more means every territory is within +-15% of the mean; rounded half up to 2 decimals';

CREATE AGGREGATE @extschema@.share_within(value numeric, tolerance numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.share_within_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.share_within(numeric, numeric) IS
'share of territories whose value is within +-tolerance of the mean (|x - mean| <= tolerance * mean, e.g. 0.15), rounded half up to 20 decimals';

CREATE AGGREGATE @extschema@.balance(value numeric, tolerance numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.balance_report_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.balance(numeric, numeric) IS
'every balance score of per-territory values at once (territories, total, mean, min, max, gini, cv, max_min_ratio, max_deviation, share_within tolerance, score): compare scenarios side by side';

-- ---------------------------------------------------------------- territory index

CREATE FUNCTION @extschema@.territory_index(metrics numeric[], weights numeric[])
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_territory_index'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.territory_index(numeric[], numeric[]) IS
'window function: this territory''s weighted index, sum_m w_m * x_m / mean_m / sum_m w_m over the partition''s territories (1 = average); a metric whose mean is zero counts as 1; exact, rounded half up to 20 decimals';

-- ---------------------------------------------------------------- balanced assignment

CREATE FUNCTION @extschema@.territory_keys(k integer)
RETURNS text[]
AS 'MODULE_PATHNAME', 'spm_territory_keys'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.territory_keys(integer) IS
'k territory keys ''1''..''k'', zero-padded to one width so they sort in order (k from 1 to 1000000)';

CREATE FUNCTION @extschema@.propose_territory(
    account text, weight numeric, current_territory text, territories text[] DEFAULT NULL,
    locked boolean DEFAULT false, lat double precision DEFAULT NULL,
    lon double precision DEFAULT NULL, max_moves integer DEFAULT NULL,
    tolerance numeric DEFAULT 0)
RETURNS text
AS 'MODULE_PATHNAME', 'spm_propose_territory'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.propose_territory(text, numeric, text, text[], boolean, double precision, double precision, integer, numeric) IS
'window function: the proposed territory of this account so that territory weights are as close to their mean as possible (smallest largest relative deviation), then with the fewest accounts moved (at most max_moves; stop once within +-tolerance), then compact by lat/lon; locked accounts stay; deterministic';
