export * from './commit';
export * from './event-store';
export * from './event-store.errors';
export * from './jetstream-event-store';
