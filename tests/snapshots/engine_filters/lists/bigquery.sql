SELECT
  `t0`.`claim_id`
FROM `claims` AS `t0`
WHERE
  (
    EXISTS(
      SELECT
        1
      FROM UNNEST(`t0`.`about`) AS ibis_generated_0
      WHERE
        ibis_generated_0 = 'RUS'
    )
    OR EXISTS(
      SELECT
        1
      FROM UNNEST(`t0`.`about`) AS ibis_generated_1
      WHERE
        ibis_generated_1 = 'PRK'
    )
  )
  AND EXISTS(
    SELECT
      1
    FROM UNNEST(`t0`.`topics`) AS ibis_generated_2
    WHERE
      ibis_generated_2 = 'treaty'
  )
