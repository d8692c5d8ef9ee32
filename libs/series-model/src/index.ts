// What ingest, the store and the PromQL engine must agree on about a series, in one pure place (no I/O).
export * from './stale-marker';
export * from './label-matcher';
