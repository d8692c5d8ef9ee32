// Unit tests: pure logic, no infrastructure.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'unit',
  testMatch: ['<rootDir>/{libs,services}/*/src/**/*.spec.ts', '<rootDir>/{libs,services}/*/test/**/*.spec.ts'],
};
