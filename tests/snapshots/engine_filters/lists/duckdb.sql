SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  (
    ARRAY_CONTAINS("t0"."about", 'RUS') OR ARRAY_CONTAINS("t0"."about", 'PRK')
  )
  AND ARRAY_CONTAINS("t0"."topics", 'treaty')
