-- Points for charts: a plan's payout curve and the Lorenz curve of a set of values.

-- a marginal plan with an accelerator and a cap at twice the commission at quota
SELECT * FROM spm.payout_curve('marginal; from 0% rate 5%; from 100% rate 10%; cap 2x target', 100000, 2, 8);
-- a pay curve: a share of the target incentive
SELECT * FROM spm.payout_curve('curve; at 50% pay 25%; at 100% pay 100%; at 150% pay 200%', 100000, 2, 4, 20000);
-- every point's commission is spm.commission's, for 200 generated plans and quotas
SELECT count(*) AS points,
       count(*) FILTER (WHERE c.commission IS DISTINCT FROM spm.commission(c.credit, p.plan, p.quota)) AS differing
FROM (SELECT ('marginal; from 0% rate ' || (g % 9 + 1) || '%; from ' || (80 + g % 50) || '% rate ' || (g % 7 + 8) || '%')::spm.tier_schedule AS plan,
             (1000 + g * 37)::numeric AS quota
      FROM generate_series(1, 200) g) p,
     spm.payout_curve(p.plan, p.quota, 3, 30) c;
-- bad input names the value; a NULL argument (but the target) gives no rows
SELECT * FROM spm.payout_curve('from 0 rate 5%', 0);
SELECT * FROM spm.payout_curve('from 0 rate 5%', 100, -1);
SELECT * FROM spm.payout_curve('from 0 rate 5%', 100, 2, 0);
SELECT * FROM spm.payout_curve('from 0 rate 5%', 100, 1, 2, 50);
SELECT * FROM spm.payout_curve('curve; at 100% pay 100%', 100, 1, 2);
SELECT count(*) AS rows_for_null_quota FROM spm.payout_curve('from 0 rate 5%', NULL);
-- steps below a millionth of attainment round to 0: no credit, no rate (not a division by zero)
SELECT * FROM spm.payout_curve('marginal; from 0% rate 5%', 100, 0.0000001, 2);

-- the Lorenz curve: smallest first from (0, 0); NULLs left out; all zero is equality
SELECT * FROM spm.lorenz_curve(ARRAY[10, 20, NULL, 30, 40]);
SELECT * FROM spm.lorenz_curve(ARRAY[0, 0]);
SELECT count(*) AS points_of_nothing FROM spm.lorenz_curve('{}');
SELECT * FROM spm.lorenz_curve(ARRAY[1, -1]);
SELECT * FROM spm.lorenz_curve(ARRAY[1, 'NaN'::numeric]);
-- twice the area between the curve and the line of equality is the Gini coefficient:
-- 1 - sum((p_i - p_i-1) (L_i + L_i-1)) against spm.gini, for 100 generated sets
WITH sets AS (
    SELECT g, array_agg((abs(hashint8extended(g * 100 + k, 3)) % 100000) / 100.0) AS v
    FROM generate_series(1, 100) g, generate_series(1, 2 + g % 30) k GROUP BY g),
curves AS (
    SELECT g, 1 - sum((p - prev_p) * (l + prev_l)) AS gini_from_curve
    FROM (SELECT g, population_share AS p, value_share AS l,
                 lag(population_share) OVER w AS prev_p, lag(value_share) OVER w AS prev_l
          FROM sets, spm.lorenz_curve(v) WINDOW w AS (PARTITION BY g ORDER BY population_share)) c
    WHERE prev_p IS NOT NULL GROUP BY g)
SELECT count(*) AS sets,
       count(*) FILTER (WHERE round(gini_from_curve, 12) <> round((SELECT spm.gini(x) FROM unnest(v) x), 12)) AS differing
FROM curves JOIN sets USING (g);
