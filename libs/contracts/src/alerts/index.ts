export * from './alert-event.schema';
