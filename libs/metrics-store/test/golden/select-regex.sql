SELECT toString(fingerprint) AS fp, metric_name, label_names, label_values, type, help, unit
FROM vigil.series FINAL
WHERE (match(metric_name, '^(?s:node_cpu.*)$'))
  AND (NOT match(label_values[indexOf(label_names, 'mode')], '^(?s:idle|iowait)$'))
  AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675)
ORDER BY fingerprint
