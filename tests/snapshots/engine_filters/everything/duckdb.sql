SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  "t0"."speaker" IN ('Kim Jong Un')
  AND "t0"."speaker_country" IN ('PRK')
  AND ARRAY_CONTAINS("t0"."about", 'KOR')
  AND "t0"."kind" IN ('reaction')
  AND "t0"."stance" IN ('concern')
  AND ARRAY_CONTAINS("t0"."topics", 'sanctions')
  AND "t0"."claim_type" IN ('warning')
  AND "t0"."attribution" IN ('direct_quote')
  AND "t0"."certainty" IN ('hedged')
  AND "t0"."date_end" >= MAKE_TIMESTAMP(2023, 1, 1, 0, 0, 0.0)
  AND "t0"."date_start" <= MAKE_TIMESTAMP(2025, 2, 28, 0, 0, 0.0)
  AND CONTAINS("t0"."_search", 'treaty')
