SELECT fingerprint, timestamp, value
FROM vigil.samples
WHERE fingerprint IN (SELECT fingerprint FROM vigil.series WHERE (((metric_name = 'up') AND (label_values[indexOf(label_names, 'job')] = 'api'))
   OR ((metric_name = 'http_requests_total'))) AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675))
  AND timestamp >= 1700000000000 AND timestamp <= 1700003600000
ORDER BY fingerprint, timestamp
LIMIT 50000001
