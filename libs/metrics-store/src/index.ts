export * from './writer/metrics-writer';
