// Lint = architecture rules: Nx project tags decide who may import whom (see README, "Architecture").
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Who may import whom. Tests and test support may also use libs tagged type:testing. */
function boundaries(forTests) {
  const testing = forTests ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', ...testing] },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', ...testing] },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:domain', 'type:data-access', ...testing] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'] },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:domain', 'type:data-access', 'type:testing'] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ingest'] },
      { sourceTag: 'scope:query', onlyDependOnLibsWithTags: ['scope:shared', 'scope:query'] },
      { sourceTag: 'scope:alerting', onlyDependOnLibsWithTags: ['scope:shared', 'scope:alerting'] },
      { sourceTag: 'scope:incident', onlyDependOnLibsWithTags: ['scope:shared', 'scope:incident'] },
      { sourceTag: 'scope:notify', onlyDependOnLibsWithTags: ['scope:shared', 'scope:notify'] },
    ],
  };
}

/** Node's I/O modules, with and without the `node:` prefix and with their subpaths (`fs/promises`, …). */
const nodeIo = ['fs', 'net', 'http', 'https', 'child_process', 'dgram', 'dns', 'tls', 'worker_threads'].flatMap((m) => [m, `${m}/*`, `node:${m}`, `node:${m}/*`]);

/** Pure code (the PromQL engine, the shared series model) does no I/O: storage and transport reach it through seams. */
const noIo = {
  patterns: [
    { group: nodeIo, message: 'Pure library: no I/O (Node I/O modules are not allowed here).' },
    { group: ['@nats-io/*', '@clickhouse/*', 'ioredis', 'ioredis/*', 'chdb', 'chdb/*'], message: 'Pure library: no I/O (NATS, ClickHouse, Redis, chDB clients belong in data-access libs and apps).' },
  ],
};

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '.nx/**'] },
  ...nx.configs['flat/base'],
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
    },
  },
  {
    // Tests may use any to build hostile input on purpose.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', '**/test-*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@nx/enforce-module-boundaries': ['error', boundaries(true)] },
  },
  {
    // Benchmarks drive the services from outside (their encoders, parsers, main.ts) like a test harness; bench is an
    // Nx project only so that `npm test` runs its unit tests, and stays out of the import rules as before.
    files: ['bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['libs/promql/src/**/*.ts', 'libs/series-model/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noIo] },
  },
];
