SELECT toString(fingerprint) AS fp, metric_name, label_names, label_values, type, help, unit
FROM vigil.series FINAL
WHERE (metric_name = 'http_requests_total')
  AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= intDiv(1700000000000, 86400000) AND day <= intDiv(1700003600000, 86400000))
ORDER BY fingerprint
