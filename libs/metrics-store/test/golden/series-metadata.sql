SELECT metric_name, argMax(type, updated_ms) AS type, argMax(help, updated_ms) AS help, argMax(unit, updated_ms) AS unit
FROM vigil.series
WHERE NOT (type = 'untyped' AND help = '' AND unit = '')
  AND metric_name IN ('up', 'http_requests_total')
GROUP BY metric_name
ORDER BY metric_name
