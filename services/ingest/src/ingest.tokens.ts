/** Nest injection tokens for values that are not classes. */
export const BODY_LIMIT = Symbol('BODY_LIMIT');
export const INGEST_METRICS = Symbol('INGEST_METRICS');
