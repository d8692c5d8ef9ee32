SELECT DISTINCT label_values[indexOf(label_names, 'job')] AS value
FROM vigil.series
WHERE label_values[indexOf(label_names, 'job')] != ''
ORDER BY value
