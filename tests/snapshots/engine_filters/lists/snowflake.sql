SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  (
    ARRAY_CONTAINS(TO_VARIANT('RUS'), "t0"."about")
    OR ARRAY_CONTAINS(TO_VARIANT('PRK'), "t0"."about")
  )
  AND ARRAY_CONTAINS(TO_VARIANT('treaty'), "t0"."topics")
