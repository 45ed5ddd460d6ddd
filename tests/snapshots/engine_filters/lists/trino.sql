SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  (
    IF("t0"."about" IS NOT NULL, COALESCE(CONTAINS("t0"."about", 'RUS'), FALSE), NULL)
    OR IF("t0"."about" IS NOT NULL, COALESCE(CONTAINS("t0"."about", 'PRK'), FALSE), NULL)
  )
  AND IF("t0"."topics" IS NOT NULL, COALESCE(CONTAINS("t0"."topics", 'treaty'), FALSE), NULL)
