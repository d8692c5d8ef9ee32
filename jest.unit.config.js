// Unit tests: pure logic, no infrastructure. deploy/ holds the checks of docker-compose.yml and the Dockerfile.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'unit',
  testMatch: ['<rootDir>/{libs,services}/*/src/**/*.spec.ts', '<rootDir>/{libs,services}/*/test/**/*.spec.ts', '<rootDir>/deploy/**/*.spec.ts', '<rootDir>/bench/**/*.spec.ts'],
};
