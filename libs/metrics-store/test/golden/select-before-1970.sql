SELECT toString(fingerprint) AS fp, metric_name, label_names, label_values, type, help, unit
FROM vigil.series FINAL
WHERE (metric_name = 'up')
  AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= (-1) AND day <= 0)
ORDER BY fingerprint
