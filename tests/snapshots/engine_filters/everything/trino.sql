SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  "t0"."speaker" IN ('Kim Jong Un')
  AND "t0"."speaker_country" IN ('PRK')
  AND IF("t0"."about" IS NOT NULL, COALESCE(CONTAINS("t0"."about", 'KOR'), FALSE), NULL)
  AND "t0"."kind" IN ('reaction')
  AND "t0"."stance" IN ('concern')
  AND IF(
    "t0"."topics" IS NOT NULL,
    COALESCE(CONTAINS("t0"."topics", 'sanctions'), FALSE),
    NULL
  )
  AND "t0"."claim_type" IN ('warning')
  AND "t0"."attribution" IN ('direct_quote')
  AND "t0"."certainty" IN ('hedged')
  AND "t0"."date_end" >= CAST(FROM_ISO8601_TIMESTAMP('2023-01-01T00:00:00') AS TIMESTAMP)
  AND "t0"."date_start" <= CAST(FROM_ISO8601_TIMESTAMP('2025-02-28T00:00:00') AS TIMESTAMP)
  AND STRPOS("t0"."_search", 'treaty') > 0
