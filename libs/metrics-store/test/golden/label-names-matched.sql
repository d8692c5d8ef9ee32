SELECT DISTINCT arrayJoin(arrayConcat([if(metric_name = '', '', '__name__')], label_names)) AS name
FROM vigil.series
WHERE (label_values[indexOf(label_names, 'job')] = 'api')
  AND fingerprint IN (SELECT fingerprint FROM vigil.series_days WHERE day >= 19675 AND day <= 19675)
ORDER BY name
LIMIT 100
