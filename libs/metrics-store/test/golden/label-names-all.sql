SELECT DISTINCT arrayJoin(arrayConcat([if(metric_name = '', '', '__name__')], label_names)) AS name
FROM vigil.series
ORDER BY name
