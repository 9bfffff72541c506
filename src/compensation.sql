
-- ---------------------------------------------------------------- compensation
-- Objects are declared one by one, each CREATE followed by its COMMENT ON: declarations
-- of one kind (type I/O functions, aggregates, accessors) repeat one shape by design.

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

CREATE FUNCTION @extschema@.payout_curve(schedule @extschema@.tier_schedule, quota numeric,
                                         max_attainment numeric DEFAULT 2, points integer DEFAULT 40,
                                         target_incentive numeric DEFAULT NULL)
RETURNS TABLE (attainment numeric, credit numeric, commission numeric, effective_rate numeric)
AS 'MODULE_PATHNAME', 'spm_payout_curve'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.payout_curve(@extschema@.tier_schedule, numeric, numeric, integer, numeric) IS
'a plan at points + 1 attainments from 0 to max_attainment: attainment, credit (attainment * quota), commission, effective rate; with target_incentive, a pay curve''s payout; no rows when another argument is NULL';

-- ---------------------------------------------------------------- payout statements

CREATE FUNCTION @extschema@.statement_order(kind text)
RETURNS integer
AS 'MODULE_PATHNAME', 'spm_statement_order'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.statement_order(text) IS
'the section a payout statement prints a line kind in: 1 commission, 2 tier_bonus, 3 spiff, 4 adjustment, 5 draw_advance, 6 draw_recovery; any other kind is an error';

CREATE FUNCTION @extschema@.adjustment_line(restated numeric, paid numeric, scale integer DEFAULT 2,
                                            rounding text DEFAULT 'half_up')
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_adjustment_line'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.adjustment_line(numeric, numeric, integer, text) IS
'window function over a restated statement''s lines (PARTITION BY statement ORDER BY line): this line rounded as spm.round_line less what was paid on it, so that paid plus adjustments is the restated statement to the unit, line by line and in total; a NULL line or paid counts as 0; paid must be whole units of 10^-scale';
