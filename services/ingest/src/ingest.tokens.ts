/** Nest injection tokens for ingest's values that are not classes. */
export const BODY_LIMIT = Symbol('BODY_LIMIT');
export const INGEST_METRICS = Symbol('INGEST_METRICS');
export const INGEST_SUBJECTS = Symbol('INGEST_SUBJECTS');
/** The write tokens, or null when writes are open (loopback only; the config enforces that). */
export const WRITE_TOKENS = Symbol('WRITE_TOKENS');
export const WAL = Symbol('WAL');
export const DLQ = Symbol('DLQ');
