export * from './infra-env';
export * from './wait-for';
export * from './prng';
export * from './service-process';
