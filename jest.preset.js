// Shared jest settings: swc compiles TypeScript (with decorator metadata for Nest) and the
// ESM-only packages in node_modules (Nest 12, lezer, re2js) down to CommonJS for jest's module system.
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;
const esmPackages = ['@nestjs', '@prometheus-io', 're2js', '@lezer', 'uid', 'file-type', 'strtok3', 'token-types', 'peek-readable', '@tokenizer'];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj|cj)sx?$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: { '^@vigil/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  setupFiles: ['reflect-metadata'],
};
