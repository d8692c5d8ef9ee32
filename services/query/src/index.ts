export * from './config/query-config';
export * from './query.service';
