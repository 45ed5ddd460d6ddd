SELECT
  `t0`.`claim_id`
FROM `claims` AS `t0`
WHERE
  `t0`.`date_end` >= DATETIME('2024-06-01T00:00:00')
  AND `t0`.`date_start` <= DATETIME('2024-12-31T00:00:00')
