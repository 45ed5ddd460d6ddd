SELECT
  "t0"."claim_id"
FROM "claims" AS "t0"
WHERE
  "t0"."speaker" IN ('Vladimir Putin') AND "t0"."stance" IN ('support', 'oppose')
