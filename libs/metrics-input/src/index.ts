// Metric input formats (JSON, Influx line protocol, Prometheus remote write) parsed and validated in one pure place:
// ingest's edge and writer use it, and so does every consumer of the METRICS stream (alerting's in-memory head).
export * from './input-format';
export * from './parsers';
export * from './validation';
export * from './decoding/sample-decoder';
