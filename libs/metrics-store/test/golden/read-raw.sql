SELECT fingerprint, timestamp, value
FROM vigil.samples
WHERE fingerprint IN (1, 18446744073709551615) AND timestamp >= 1700000000000 AND timestamp <= 1700003600000
ORDER BY fingerprint, timestamp
