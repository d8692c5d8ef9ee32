SELECT fingerprint, intDiv((toInt64(0) - timestamp), toInt64(300000)) AS w, toFloat64(uniqExact(timestamp)) AS a0
FROM vigil.samples
WHERE fingerprint IN (SELECT fingerprint FROM vigil.series WHERE (metric_name = 'up') AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= (-1) AND day <= 0))
  AND timestamp >= (-899999) AND timestamp <= 0 AND NOT isNaN(value)
GROUP BY fingerprint, w
ORDER BY fingerprint, w DESC
