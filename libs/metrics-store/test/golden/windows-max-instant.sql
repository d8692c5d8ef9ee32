SELECT fingerprint, toInt64(0) AS w, if(max(value) = 0, argMinIf(value, timestamp, value = 0), max(value)) AS a0
FROM vigil.samples
WHERE fingerprint IN (SELECT fingerprint FROM vigil.series WHERE (metric_name = 'up') AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675))
  AND timestamp >= 1700000000001 AND timestamp <= 1700003600000 AND NOT isNaN(value)
GROUP BY fingerprint, w
ORDER BY fingerprint, w DESC
LIMIT 1001
