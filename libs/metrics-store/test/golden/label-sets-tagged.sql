SELECT DISTINCT toString(fingerprint) AS fp, metric_name, label_names, label_values, [toUInt8((metric_name = 'up') AND (label_values[indexOf(label_names, 'job')] = 'api')), toUInt8((match(metric_name, '^(?s:node_.+)$'))), toUInt8(1)] AS matches
FROM vigil.series
WHERE fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675)

