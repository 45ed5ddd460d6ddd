SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  POSITION('елка' IN "t0"."_search") > 0
  AND POSITION('strasse' IN "t0"."_search") > 0
  AND POSITION('o''neil' IN "t0"."_search") > 0
