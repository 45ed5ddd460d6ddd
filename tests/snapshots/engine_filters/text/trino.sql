SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  STRPOS("t0"."_search", 'елка') > 0
  AND STRPOS("t0"."_search", 'strasse') > 0
  AND STRPOS("t0"."_search", 'o''neil') > 0
