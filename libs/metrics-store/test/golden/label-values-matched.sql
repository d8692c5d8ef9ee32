SELECT DISTINCT metric_name AS value
FROM vigil.series
WHERE (((NOT match(label_values[indexOf(label_names, 'job')], '^(?s:it\'s|x)$')))
   OR ((label_values[indexOf(label_names, 'env')] = 'prod')))
  AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675)
  AND metric_name != ''
ORDER BY value
LIMIT 10
