SELECT toString(fingerprint) AS fp, metric_name, label_names, label_values, type, help, unit
FROM vigil.series FINAL
WHERE (metric_name = 'http_requests_total')
  AND (label_values[indexOf(label_names, 'job')] = 'api')
  AND (label_values[indexOf(label_names, 'code')] != '200')
  AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675)
ORDER BY fingerprint
