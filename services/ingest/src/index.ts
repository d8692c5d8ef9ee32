export * from './config/ingest-config';
export * from './ingest.app';
export * from './wal/ingest-subjects';
