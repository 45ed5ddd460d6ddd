SELECT
  `t0`.`claim_id`
FROM `claims` AS `t0`
WHERE
  `t0`.`speaker` IN ('Kim Jong Un')
  AND `t0`.`speaker_country` IN ('PRK')
  AND EXISTS(
    SELECT
      1
    FROM UNNEST(`t0`.`about`) AS ibis_generated_0
    WHERE
      ibis_generated_0 = 'KOR'
  )
  AND `t0`.`kind` IN ('reaction')
  AND `t0`.`stance` IN ('concern')
  AND EXISTS(
    SELECT
      1
    FROM UNNEST(`t0`.`topics`) AS ibis_generated_1
    WHERE
      ibis_generated_1 = 'sanctions'
  )
  AND `t0`.`claim_type` IN ('warning')
  AND `t0`.`attribution` IN ('direct_quote')
  AND `t0`.`certainty` IN ('hedged')
  AND `t0`.`date_end` >= DATETIME('2023-01-01T00:00:00')
  AND `t0`.`date_start` <= DATETIME('2025-02-28T00:00:00')
  AND INSTR(`t0`.`_search`, 'treaty') > 0
