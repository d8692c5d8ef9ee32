SELECT toString(fingerprint) AS fp, metric_name, label_names, label_values, type, help, unit
FROM vigil.series FINAL
WHERE (match(label_values[indexOf(label_names, 'job')], '^(?s:.+)$'))
ORDER BY fingerprint
