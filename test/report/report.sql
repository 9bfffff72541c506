-- test/report/report.sql: the charts analysts would rather look at than read, from the
-- sample company (test/data/company.sql, schema demo), as one static HTML page of inline
-- SVG: no tool beyond psql, nothing fetched.  test/run report writes it; test/run check
-- checks that every chart holds data (each line and bar set carries data-points="N").
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
SET client_min_messages = warning;

-- x, y scaled into a 600 x 300 chart: the plot area is x 70..570, y 250..30
CREATE FUNCTION pg_temp.px(x numeric, xmax numeric) RETURNS numeric LANGUAGE sql IMMUTABLE
AS $$ SELECT round(70 + 500 * x / nullif(xmax, 0), 1) $$;
CREATE FUNCTION pg_temp.py(y numeric, ymax numeric) RETURNS numeric LANGUAGE sql IMMUTABLE
AS $$ SELECT round(250 - 220 * y / nullif(ymax, 0), 1) $$;

-- a line through points (x[i], y[i]), in order
CREATE FUNCTION pg_temp.line(xs numeric[], ys numeric[], xmax numeric, ymax numeric, color text, name text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT format('<polyline class="series" data-name="%s" data-points="%s" fill="none" stroke="%s" stroke-width="2" points="%s"/>',
              name, count(*), color,
              string_agg(pg_temp.px(x, xmax) || ',' || pg_temp.py(y, ymax), ' ' ORDER BY i))
FROM unnest(xs, ys) WITH ORDINALITY u(x, y, i) WHERE y IS NOT NULL
$$;

-- the frame of a chart: title, axes with the labels of both ends (each axis its own, so a y
-- axis that does not start at 0 says where it starts), and the middle of the x axis marked by
-- a dashed line when xmid is given (100% attainment, half of the reps)
CREATE FUNCTION pg_temp.frame(title text, xlabel text, xmin text, xmid text, xmax text,
                              ylabel text, ymin text, ymax text, body text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT format('<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 300" width="600" height="300" role="img" aria-label="%s">'
              '%s'
              '<line x1="70" y1="250" x2="570" y2="250" stroke="#444"/><line x1="70" y1="250" x2="70" y2="30" stroke="#444"/>'
              '<text x="70" y="266" font-size="11" text-anchor="middle">%s</text><text x="570" y="266" font-size="11" text-anchor="middle">%s</text>'
              '<text x="320" y="290" font-size="12" text-anchor="middle">%s</text>'
              '<text x="64" y="254" font-size="11" text-anchor="end">%s</text>'
              '<text x="64" y="34" font-size="11" text-anchor="end">%s</text>'
              '<text x="12" y="140" font-size="12" transform="rotate(-90 12 140)" text-anchor="middle">%s</text>'
              '%s</svg><figcaption>%s</figcaption></figure>',
              title,
              CASE WHEN xmid IS NOT NULL THEN
                  '<line x1="320" y1="250" x2="320" y2="30" stroke="#ccc" stroke-dasharray="4 3"/>'
                  || format('<text x="320" y="266" font-size="11" text-anchor="middle">%s</text>', xmid)
              ELSE '' END,
              xmin, xmax, xlabel, ymin, ymax, ylabel, body, title)
$$;

\qecho '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>spm: the sample company in pictures</title>'
\qecho '<style>body{font-family:sans-serif;max-width:640px;margin:2em auto}figure{margin:2em 0}figcaption{font-size:14px}</style></head><body>'
\qecho '<h1>spm: the sample company in pictures</h1>'

-- 1. a plan's payout curve: commission and effective rate against attainment
WITH plan AS (SELECT 'marginal; from 0% rate 5%; from 100% rate 10%; cap 2x target'::spm.tier_schedule AS s,
                     (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY quota) FROM demo.quotas) AS quota),
curve AS (SELECT c.* FROM plan, spm.payout_curve(plan.s, plan.quota, 2, 40) c)
SELECT pg_temp.frame('Payout curve of a plan at the median quota: commission (blue) and effective rate (orange, 0 to 12%) against attainment; marginal 5%, 10% above quota, capped at twice the commission at quota',
                     'attainment', '0', '100%', '200%', 'commission', '0', to_char(max(commission), 'FM999,999,999'),
                     -- the effective rate's own axis, on the right, and a legend
                     '<text x="576" y="34" font-size="11" fill="#ff7f0e">12%</text>'
                     '<text x="576" y="254" font-size="11" fill="#ff7f0e">0%</text>'
                     '<text x="80" y="44" font-size="11" fill="#1f77b4">— commission (left axis)</text>'
                     '<text x="80" y="58" font-size="11" fill="#ff7f0e">— effective rate (right axis)</text>'
                     || pg_temp.line(array_agg(attainment ORDER BY attainment), array_agg(commission ORDER BY attainment), 2, max(commission), '#1f77b4', 'commission')
                     || pg_temp.line(array_agg(attainment ORDER BY attainment), array_agg(effective_rate ORDER BY attainment), 2, 0.12, '#ff7f0e', 'effective rate'))
FROM curve;

-- 2. how attainment is spread across reps: reps per 10% band of 2026 attainment
WITH per_rep AS (
    SELECT d.rep_id,
           spm.attainment(sum(d.amount) FILTER (WHERE d.won AND d.close_date >= date '2026-01-01' AND d.close_date < date '2027-01-01'), q.quota) AS attainment
    FROM demo.deals d JOIN demo.quotas q ON q.rep_id = d.rep_id AND q.year = 2026
    GROUP BY d.rep_id, q.quota),
bands AS (SELECT b, count(p.rep_id) AS reps
          FROM generate_series(0, 19) b LEFT JOIN per_rep p ON least(floor(p.attainment * 10), 19) = b GROUP BY b)
SELECT pg_temp.frame('Reps by 2026 attainment (10% bands; the last band holds 190% and above)',
                     'attainment', '0', '100%', '200%', 'reps', '0', max(reps)::text,
                     format('<g class="series" data-name="reps" data-points="%s">', count(*))
                     || string_agg(format('<rect x="%s" y="%s" width="23" height="%s" fill="#2ca02c"/>',
                                          pg_temp.px(b, 20), pg_temp.py(reps, max_reps), 250 - pg_temp.py(reps, max_reps)), '' ORDER BY b)
                     || '</g>')
FROM (SELECT b, reps, max(reps) OVER () AS max_reps FROM bands) t;

-- 3. territory balance: the Lorenz curve of won 2026 revenue by rep, beside its Gini
WITH totals AS (SELECT rep_id, sum(amount) AS revenue FROM demo.deals
                WHERE won AND close_date >= date '2026-01-01' AND close_date < date '2027-01-01' GROUP BY rep_id),
curve AS (SELECT c.* FROM spm.lorenz_curve(ARRAY(SELECT revenue FROM totals)) c)
SELECT pg_temp.frame(format('Lorenz curve of won 2026 revenue across reps: Gini %s (0 is perfect balance)',
                            (SELECT round(spm.gini(revenue), 4) FROM totals)),
                     'share of reps', '0', '50%', '100%', 'share of revenue', '0', '100%',
                     pg_temp.line(ARRAY[0, 1], ARRAY[0, 1], 1, 1, '#999', 'equality')
                     || pg_temp.line(array_agg(population_share ORDER BY population_share), array_agg(value_share ORDER BY population_share), 1, 1, '#d62728', 'lorenz'))
FROM curve;

-- 4. the rolling 90-day win rate of the company by week, with its 95% Wilson band
WITH weeks AS (SELECT w::date AS week FROM generate_series(date '2026-01-05', date '2026-12-28', interval '7 days') w),
rolling AS (
    SELECT week, count(*) FILTER (WHERE d.won) AS won, count(*) AS closed
    FROM weeks JOIN demo.deals d ON d.close_date > week - 90 AND d.close_date <= week AND d.won IS NOT NULL
    GROUP BY week),
points AS (SELECT week, row_number() OVER (ORDER BY week) - 1 AS x, won::numeric / closed AS rate,
                  spm.wilson_lower(won, closed) AS lo, spm.wilson_upper(won, closed) AS hi FROM rolling)
SELECT pg_temp.frame('Rolling 90-day win rate of the company, weekly in 2026, with its 95% Wilson band (grey)',
                     'the 90 days to each Monday of 2026', to_char(min(week), 'Mon FMDD'), NULL, to_char(max(week), 'Mon FMDD'),
                     'win rate', '30%', '60%',
                     pg_temp.line(array_agg(x ORDER BY x), array_agg(hi - 0.3 ORDER BY x), max(x), 0.3, '#bbb', 'wilson upper')
                     || pg_temp.line(array_agg(x ORDER BY x), array_agg(lo - 0.3 ORDER BY x), max(x), 0.3, '#bbb', 'wilson lower')
                     || pg_temp.line(array_agg(x ORDER BY x), array_agg(rate - 0.3 ORDER BY x), max(x), 0.3, '#9467bd', 'win rate'))
FROM points;

\qecho '<p>Made by test/run report from the sample company (test/data/company.sql) with spm.payout_curve, spm.attainment, spm.lorenz_curve, spm.gini and spm.wilson_lower/upper.</p></body></html>'
