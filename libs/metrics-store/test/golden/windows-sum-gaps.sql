SELECT fingerprint, intDiv((toInt64(1700003600000) - timestamp), toInt64(7200000)) AS w, sum(value) AS a0, toFloat64(uniqExact(timestamp)) AS a1, toFloat64(countIf(value != floor(value)) = 0 AND sum(abs(value)) < 9007199254740992 AND uniqExact(timestamp) = count()) AS a2
FROM vigil.samples
WHERE fingerprint IN (SELECT fingerprint FROM vigil.series WHERE (label_values[indexOf(label_names, 'job')] = 'api') AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675))
  AND timestamp >= 1699920800001 AND timestamp <= 1700003600000 AND NOT isNaN(value)
  AND (toInt64(1700003600000) - timestamp) % toInt64(7200000) < 3600000
GROUP BY fingerprint, w
ORDER BY fingerprint, w DESC
