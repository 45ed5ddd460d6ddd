SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  "t0"."date_end" >= MAKE_TIMESTAMP(2024, 6, 1, 0, 0, 0.0)
  AND "t0"."date_start" <= MAKE_TIMESTAMP(2024, 12, 31, 0, 0, 0.0)
