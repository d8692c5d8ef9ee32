/** Input formats ingest understands; each has its own WAL subject (services/ingest/src/wal/ingest-subjects.ts). */
export type InputFormat = 'json' | 'influx' | 'prw';
