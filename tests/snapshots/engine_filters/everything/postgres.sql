SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  "t0"."speaker" IN ('Kim Jong Un')
  AND "t0"."speaker_country" IN ('PRK')
  AND CAST("t0"."about" AS VARCHAR[]) @> ARRAY[CAST('KOR' AS VARCHAR)]
  AND "t0"."kind" IN ('reaction')
  AND "t0"."stance" IN ('concern')
  AND CAST("t0"."topics" AS VARCHAR[]) @> ARRAY[CAST('sanctions' AS VARCHAR)]
  AND "t0"."claim_type" IN ('warning')
  AND "t0"."attribution" IN ('direct_quote')
  AND "t0"."certainty" IN ('hedged')
  AND "t0"."date_end" >= CAST('2023-01-01T00:00:00' AS TIMESTAMP)
  AND "t0"."date_start" <= CAST('2025-02-28T00:00:00' AS TIMESTAMP)
  AND POSITION('treaty' IN "t0"."_search") > 0
