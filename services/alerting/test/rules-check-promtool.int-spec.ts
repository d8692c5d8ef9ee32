import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkRuleFile, renderRuleChecks } from '../src/rules/rule-check';
import { createRuleTemplateEngine } from '../src/rules/template-engine';
import { corpusYamlFiles, rulesCorpusDir } from './support/conformance-rules';

/**
 * rules:check against Debian's promtool (package `prometheus`, Prometheus 2.42) over every YAML file of the rules
 * corpus: the same verdict (valid = exit 0, invalid = exit 1) per file. promtool 2.42 predates some 3.x syntax
 * (group `labels`, `query_offset`, UTF-8 names); no corpus file's verdict depends on those, so no row differs.
 */

function ensurePromtool(): string {
  const which = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  if (which.status === 0) return which.stdout.trim();
  if (process.getuid?.() === 0) {
    spawnSync('sh', ['-c', 'DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus'], { stdio: 'ignore' });
    const again = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
    if (again.status === 0) return again.stdout.trim();
  }
  throw new Error('promtool is missing: install Debian package "prometheus" (apt-get install prometheus)');
}

describe('rules:check gives promtool check rules verdicts on the rules corpus', () => {
  const promtool = ensurePromtool();
  const templates = createRuleTemplateEngine();

  it.each(corpusYamlFiles())('%s', (file) => {
    const full = path.join(rulesCorpusDir, file);
    const theirs = spawnSync(promtool, ['check', 'rules', file], { cwd: rulesCorpusDir, encoding: 'utf8' });
    const ours = renderRuleChecks([checkRuleFile(fs.readFileSync(full, 'utf8'), file, { templates })], {});
    const verdict = (code: number | null) => (code === 0 ? 'valid' : 'invalid');
    expect({ file, verdict: verdict(ours.exitCode) }).toEqual({ file, verdict: verdict(theirs.status) });
  });

  it('the npm script prints promtool-shaped output and exit codes', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'services/alerting/src/cli/rules-check.ts', 'rules.yml', 'bad-rules-syntax.yml'], {
      cwd: root,
      env: { ...process.env, INIT_CWD: rulesCorpusDir },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('Checking rules.yml\n  SUCCESS: 5 rules found\n\nChecking bad-rules-syntax.yml\n');
    expect(run.stderr).toBe('  FAILED:\nbad-rules-syntax.yml: 7:15: group "bad-syntax", rule 1, "x": could not parse expression: 1:7: parse error: unexpected end of input\n');
  });
});
