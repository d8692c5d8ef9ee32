export * from './subjects';
export * from './metrics/sample-batch.schema';
export * from './metrics/dead-letter.schema';
export * from './metrics/ingest-reply.schema';
export * from './incident';
export * from './query/query-request.schema';
export * from './alerts';
export * from './notify';
