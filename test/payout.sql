-- pgTAP: payout (draws, splits, rounding of payout lines)
BEGIN;
SELECT plan(50);

-- labels
SELECT has_type('spm', 'draw_period', 'the draw line is a composite type');
SELECT has_function('spm', 'recoverable_draw', ARRAY['numeric', 'numeric', 'numeric']);
SELECT has_function('spm', 'nonrecoverable_draw', ARRAY['numeric', 'numeric']);
SELECT has_function('spm', 'split', ARRAY['numeric', 'numeric[]', 'boolean', 'integer']);
SELECT has_function('spm', 'split_share', ARRAY['numeric', 'numeric', 'boolean', 'integer']);
SELECT has_function('spm', 'round_lines', ARRAY['numeric[]', 'integer', 'text']);
SELECT has_function('spm', 'round_line', ARRAY['numeric', 'integer', 'text']);
SELECT is(
  (SELECT array_agg(proname::text ORDER BY proname) FROM pg_proc
    WHERE pronamespace = 'spm'::regnamespace AND prokind = 'w'
      AND proname IN ('recoverable_draw', 'split_share', 'round_line')),
  ARRAY['recoverable_draw', 'round_line', 'split_share'], 'the window forms are window functions');
SELECT is(
  (SELECT count(*)::int FROM pg_proc
    WHERE pronamespace = 'spm'::regnamespace
      AND proname IN ('recoverable_draw', 'nonrecoverable_draw', 'split', 'split_share', 'round_lines', 'round_line')
      AND (provolatile <> 'i' OR proparallel <> 's' OR obj_description(oid, 'pg_proc') IS NULL)), 0,
  'every payout function is IMMUTABLE, PARALLEL SAFE and commented');
SELECT isnt(obj_description('spm.draw_period'::regtype, 'pg_type'), NULL, 'spm.draw_period has a COMMENT');

-- recoverable draw: Xactly's example (https://www.xactlycorp.com/blog/non-recoverable-draw/),
-- a 1,500 draw, 500 earned in August and 3,000 in September
SELECT results_eq(
  $$SELECT (d).payout, (d).balance FROM (
      SELECT m, spm.recoverable_draw(e, 1500) OVER (ORDER BY m) AS d
      FROM (VALUES (8, 500.00), (9, 3000.00)) v(m, e)) s ORDER BY m$$,
  $$VALUES (1500.00, 1000.00), (2000.00, 0.00)$$,
  'recoverable: August pays the draw and carries 1,000; September recovers it and pays 2,000');
SELECT results_eq(
  $$SELECT (spm.nonrecoverable_draw(e, 1500)).payout FROM (VALUES (8, 500.00), (9, 3000.00)) v(m, e) ORDER BY m$$,
  $$VALUES (1500.00), (3000.00)$$,
  'non-recoverable: the greater of earnings and draw, September pays 3,000');
-- Oracle's draw and recovery example (https://docs.oracle.com/en/cloud/saas/sales/facmi/example-of-incentive-compensation-draw-and-recovery.html):
-- 1,000 per period, earnings 500, 700, 400 leave 500, 800, 1,400 due
SELECT results_eq(
  $$SELECT (d).balance FROM (
      SELECT p, spm.recoverable_draw(e, 1000, 0) OVER (ORDER BY p) AS d
      FROM (VALUES (1, 500), (2, 700), (3, 400)) v(p, e)) s ORDER BY p$$,
  $$VALUES (500::numeric), (800), (1400)$$,
  'Oracle: balance due 500, 800, 1,400 over three periods');
SELECT results_eq(
  $$SELECT (d).payout, (d).recovered, (d).balance FROM (
      SELECT p, spm.recoverable_draw(e, 5000.00, 0.5) OVER (ORDER BY p) AS d
      FROM (VALUES (1, 2000.00), (2, 7000.00), (3, 9000.00)) v(p, e)) s ORDER BY p$$,
  $$VALUES (5000.00, 0.00, 3000.00), (6000.00, 1000.00, 2000.00), (7000.00, 2000.00, 0.00)$$,
  'recovery at most half of the earnings above the draw per period');
SELECT results_eq(
  $$SELECT (d).payout, (d).balance FROM (
      SELECT p, spm.recoverable_draw(e, 0) OVER (ORDER BY p) AS d
      FROM (VALUES (1, -250.00), (2, 100.00), (3, 400.00)) v(p, e)) s ORDER BY p$$,
  $$VALUES (0.00, 250.00), (0.00, 150.00), (250.00, 0.00)$$,
  'a zero draw carries a clawback forward and recovers it from later earnings');
SELECT results_eq(
  $$SELECT r, (d).balance FROM (
      SELECT r, p, spm.recoverable_draw(e, 1000) OVER (PARTITION BY r ORDER BY p) AS d
      FROM (VALUES ('a', 1, 0), ('a', 2, 0), ('b', 1, 1000)) v(r, p, e)) s ORDER BY r, p$$,
  $$VALUES ('a', 1000::numeric), ('a', 2000), ('b', 0)$$,
  'each partition starts with no balance; the last row shows what is owed');
SELECT is((SELECT (spm.nonrecoverable_draw(-300.00, 1000.00)).advance), 1300.00,
  'non-recoverable: a clawback below the draw is absorbed by the advance');

SELECT throws_ok($$SELECT spm.recoverable_draw(NULL::numeric, 1000) OVER ()$$, '22004', 'earnings must not be NULL');
SELECT throws_ok($$SELECT spm.recoverable_draw(100, NULL::numeric) OVER ()$$, '22004', 'draw must not be NULL');
SELECT throws_ok($$SELECT spm.recoverable_draw(100, 1000, NULL::numeric) OVER ()$$, '22004', 'recovery share must not be NULL');
SELECT throws_ok($$SELECT spm.recoverable_draw(100, -1) OVER ()$$, '22023', 'draw must not be negative');
SELECT throws_ok($$SELECT spm.recoverable_draw('NaN', 1000) OVER ()$$, '22023', 'earnings must be a finite number');
SELECT throws_ok($$SELECT spm.recoverable_draw(100, 1000, 1.01) OVER ()$$, '22023', 'recovery share must be between 0 and 1');
SELECT throws_ok($$SELECT spm.recoverable_draw(100, 1000, -0.5) OVER ()$$, '22023', 'recovery share must be between 0 and 1');
SELECT throws_ok($$SELECT spm.nonrecoverable_draw(100, 'Infinity')$$, '22023', 'draw must be a finite number');
SELECT throws_ok($$SELECT spm.nonrecoverable_draw(NULL, 1)$$, '22004', 'earnings must not be NULL');

-- splits
SELECT is(spm.split(100.00, ARRAY[0.3333, 0.3333, 0.3334]), ARRAY[33.33, 33.33, 33.34]::numeric[], 'a three-way split');
SELECT is(spm.split(0.05, ARRAY[0.5, 0.5]), ARRAY[0.03, 0.02]::numeric[], 'the odd cent goes to the first rep');
SELECT is(spm.split(-0.05, ARRAY[0.5, 0.5]), ARRAY[-0.03, -0.02]::numeric[], 'a clawback reverses the split cent for cent');
SELECT is(spm.split(12345.67, ARRAY[0.5, 0.5, 0.2], true), ARRAY[6172.84, 6172.83, 2469.13]::numeric[],
  'Spiff''s 50/50 revenue split with a 20 % overlay');
SELECT results_eq(
  $$SELECT spm.split_share(100.00, s) OVER (PARTITION BY d ORDER BY r) FROM (VALUES (1, 1, 0.25), (1, 2, 0.75)) v(d, r, s)$$,
  $$VALUES (25.00), (75.00)$$, 'split_share credits each row of a deal');
SELECT throws_ok($$SELECT spm.split(100, ARRAY[0.5, 0.4])$$, '22023', 'split shares must sum to 1');
SELECT is(spm.split(100.05, ARRAY[0.2, 0.1], true), ARRAY[20.01, 10.01]::numeric[], 'overlay shares need not sum to 1');
SELECT throws_ok($$SELECT spm.split(100, ARRAY[-0.5, 1.5])$$, '22023', 'split shares must be between 0 and 1');
SELECT throws_ok($$SELECT spm.split(100, ARRAY[1, NULL])$$, '22004', 'split shares must not be NULL');
SELECT throws_ok($$SELECT spm.split(100, '{}'::numeric[])$$, '22023', 'cannot split 100 among no shares');
SELECT throws_ok($$SELECT spm.split(100, ARRAY[[1]])$$, '2202E', 'split shares must be a one-dimensional array');
SELECT throws_ok($$SELECT spm.split(100.001, ARRAY[1])$$, '22023', 'amount 100.001 is not a whole number of currency units at scale 2');
SELECT throws_ok($$SELECT spm.split(100, ARRAY[1], false, -10)$$, '22023', 'scale -10 is out of range');
SELECT throws_ok($$SELECT spm.split_share(a, 1) OVER () FROM (VALUES (1), (2)) v(a)$$, '22023',
  'the amount of split_share differs between rows of one window partition');
SELECT throws_ok($$SELECT spm.split_share(NULL, 1) OVER ()$$, '22004', 'the amount of split_share must not be NULL');

-- rounding payout lines
SELECT is(spm.round_lines(ARRAY[33.3333, 33.3333, 33.3333]), ARRAY[33.34, 33.33, 33.33]::numeric[],
  'lines sum to the rounded total 100.00');
SELECT is(spm.round_lines(ARRAY[0.125, 0.5]), ARRAY[0.13, 0.50]::numeric[], 'half_up: 0.625 rounds to 0.63');
SELECT is(spm.round_lines(ARRAY[0.125, 0.5], 2, 'half_even'), ARRAY[0.12, 0.50]::numeric[], 'half_even: 0.625 rounds to 0.62');
SELECT is(spm.round_lines(ARRAY[1.5, NULL]::numeric[], 0), ARRAY[2, NULL]::numeric[], 'a NULL line stays NULL');
SELECT results_eq(
  $$SELECT spm.round_line(x) OVER (ORDER BY k) FROM (VALUES (1, 1.004), (2, 2.004)) v(k, x)$$,
  $$VALUES (1.01), (2.00)$$, 'round_line: the leftover cent to the larger remainder, the tie to the earlier line');
SELECT throws_ok($$SELECT spm.round_lines(ARRAY[1], 2, 'up')$$, '22023', 'unknown rounding rule "up"');
SELECT throws_ok($$SELECT spm.round_lines(ARRAY[1, 'NaN']::numeric[])$$, '22023', 'a payout line must be a finite number');
SELECT throws_ok($$SELECT spm.round_lines(ARRAY[1], 99)$$, '22023', 'scale 99 is out of range');
SELECT throws_ok($$SELECT spm.round_line(x, s) OVER () FROM (VALUES (1, 2), (1, 0)) v(x, s)$$, '22023',
  'the scale of round_line differs between rows of one window partition');

SELECT * FROM finish();
ROLLBACK;
