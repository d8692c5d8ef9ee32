// Integration and end-to-end tests: real NATS (JetStream), ClickHouse and Redis, run one file at a time.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'integration',
  testMatch: ['<rootDir>/{libs,services}/*/{src,test}/**/*.int-spec.ts', '<rootDir>/{libs,services}/*/{src,test}/**/*.e2e-spec.ts'],
  testTimeout: 120000,
};
