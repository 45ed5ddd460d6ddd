SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  "t0"."date_end" >= CAST('2024-06-01T00:00:00' AS TIMESTAMP)
  AND "t0"."date_start" <= CAST('2024-12-31T00:00:00' AS TIMESTAMP)
