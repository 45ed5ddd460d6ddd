SELECT
  `t0`.`claim_id`
FROM `claims` AS `t0`
WHERE
  INSTR(`t0`.`_search`, 'елка') > 0
  AND INSTR(`t0`.`_search`, 'strasse') > 0
  AND INSTR(`t0`.`_search`, 'o\'neil') > 0
