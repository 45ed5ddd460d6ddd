SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  (
    CAST("t0"."about" AS VARCHAR[]) @> ARRAY[CAST('RUS' AS VARCHAR)]
    OR CAST("t0"."about" AS VARCHAR[]) @> ARRAY[CAST('PRK' AS VARCHAR)]
  )
  AND CAST("t0"."topics" AS VARCHAR[]) @> ARRAY[CAST('treaty' AS VARCHAR)]
