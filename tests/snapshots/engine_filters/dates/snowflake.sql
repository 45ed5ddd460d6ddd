SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  "t0"."date_end" >= TIMESTAMP_FROM_PARTS(2024, 6, 1, 0, 0, 0, 0)
  AND "t0"."date_start" <= TIMESTAMP_FROM_PARTS(2024, 12, 31, 0, 0, 0, 0)
