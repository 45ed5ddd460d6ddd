SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  CONTAINS("t0"."_search", 'елка')
  AND CONTAINS("t0"."_search", 'strasse')
  AND CONTAINS("t0"."_search", 'o\'neil')
