SELECT fingerprint, timestamp, value
FROM vigil.samples
WHERE fingerprint IN (SELECT fingerprint FROM vigil.series WHERE (metric_name = 'http_requests_total') AND (match(label_values[indexOf(label_names, 'code')], '^(?s:5..)$')) AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675))
  AND timestamp >= 1700000000000 AND timestamp <= 1700003600000
ORDER BY fingerprint, timestamp
LIMIT 50000001
