-- test/live/writers.sql: one writer's transaction for pgbench (test/live/run runs 8 of them):
-- a deal inserted or upserted, closed or reopened, moved to another rep and day, changed in
-- amount (of another scale), deleted, or every deal of one rep and day changed at once.
\set op random(1, 100)
\set id random(1, 3000)
\set rep random(1, 4)
\set day random(0, 9)
\set cents random(0, 2000000)
\set scale random(0, 3)
\set outcome random(0, 2)
\set cycle random(0, 60)
\if :op <= 30
INSERT INTO deals VALUES (:id, :rep, date '2026-01-01' + :day, round(:cents / 100.0, :scale),
                          (ARRAY[NULL, true, false])[:outcome + 1],
                          CASE WHEN :outcome > 0 THEN date '2026-01-01' + :day + :cycle END)
ON CONFLICT (deal_id) DO UPDATE SET rep_id = EXCLUDED.rep_id, created = EXCLUDED.created,
                                    amount = EXCLUDED.amount, won = EXCLUDED.won,
                                    close_date = EXCLUDED.close_date;
\elif :op <= 60
UPDATE deals SET won = (ARRAY[NULL, true, false])[:outcome + 1],
                 close_date = CASE WHEN :outcome > 0 THEN created + :cycle END
WHERE deal_id = :id;
\elif :op <= 75
UPDATE deals SET rep_id = :rep, created = date '2026-01-01' + :day,
                 close_date = CASE WHEN won IS NOT NULL THEN date '2026-01-01' + :day + :cycle END
WHERE deal_id = :id;
\elif :op <= 85
UPDATE deals SET amount = round(:cents / 100.0, :scale) WHERE deal_id = :id;
\elif :op <= 97
DELETE FROM deals WHERE deal_id = :id;
\else
UPDATE deals SET amount = amount + 1 WHERE rep_id = :rep AND created = date '2026-01-01' + :day;
\endif
