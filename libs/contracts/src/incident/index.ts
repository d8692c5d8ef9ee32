export * from './incident-subjects';
export * from './incident-values.schema';
export * from './incident-event.schema';
export * from './incident-upcasting';
export * from './incident-command.schema';
export * from './status-subscription.schema';
