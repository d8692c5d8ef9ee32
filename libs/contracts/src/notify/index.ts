export * from './delivery-event.schema';
