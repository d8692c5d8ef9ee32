export * from './vigil-error';
export * from './describe-error';
export * from './zod-errors';
export * from './http-error.filter';
export * from './nats-error-reply';
export * from './prometheus-error';
