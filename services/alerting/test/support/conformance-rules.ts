import * as fs from 'node:fs';
import * as path from 'node:path';

/** Prometheus' promtool test data (cmd/promtool/testdata), read where it lies — never copied into the repository. */
export const rulesCorpusDir = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'conformance', 'rules');

export function corpusYamlFiles(): string[] {
  return fs
    .readdirSync(rulesCorpusDir)
    .filter((f) => f.endsWith('.yml'))
    .sort();
}
