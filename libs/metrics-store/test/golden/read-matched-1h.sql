SELECT fingerprint, bucket, minMerge(min_state) AS min, maxMerge(max_state) AS max,
  sumMerge(sum_state) AS sum, countMerge(count_state) AS count, argMinMerge(first_state) AS first, argMaxMerge(last_state) AS last
FROM vigil.samples_1h
WHERE fingerprint IN (SELECT fingerprint FROM vigil.series WHERE (label_values[indexOf(label_names, 'job')] = 'api') AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675))
  AND bucket >= 1700000000000 AND bucket <= 1700003600000
GROUP BY fingerprint, bucket
ORDER BY fingerprint, bucket
LIMIT 1000
