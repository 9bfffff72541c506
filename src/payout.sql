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
