SELECT toString(fingerprint) AS fp, metric_name, label_names, label_values, type, help, unit
FROM vigil.series FINAL
WHERE (metric_name = 'up')
  AND (label_values[indexOf(label_names, 'instance')] = '')
  AND (label_values[indexOf(label_names, 'job')] != '')
  AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675)
ORDER BY fingerprint
