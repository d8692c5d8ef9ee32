SELECT DISTINCT toString(fingerprint) AS fp, metric_name, label_names, label_values, labels
FROM vigil.series
WHERE (metric_name != '')
  AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675)
ORDER BY metric_name, labels
LIMIT 40000
