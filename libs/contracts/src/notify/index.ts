export * from './status-subscription.schema';
