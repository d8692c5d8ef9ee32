SELECT metric_name, t AS type, h AS help, u AS unit FROM (
  SELECT metric_name, argMax(type, updated_ms) AS t, argMax(help, updated_ms) AS h, argMax(unit, updated_ms) AS u
  FROM vigil.series
  WHERE metric_name IN ('up', 'http_requests_total')
  GROUP BY metric_name
  HAVING NOT (t = 'untyped' AND h = '' AND u = '')
)
ORDER BY metric_name
