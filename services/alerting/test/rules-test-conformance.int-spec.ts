import * as fs from 'node:fs';
import * as path from 'node:path';
import { runRuleTestFile, renderRuleTests, type RuleTestOptions } from '../src/rule-tests/rule-test-runner';
import { fileSystemIO } from '../src/cli/rule-test-files';
import { createRuleTemplateEngine } from '../src/rules/template-engine';
import { rulesCorpusDir } from './support/conformance-rules';

/**
 * Every row of the rules corpus' EXPECTED.md (upstream's TestRulesUnitTest): rules:test with the row's options must
 * exit with the row's code. The table is read at test time; the files stay where they are.
 */

interface Row {
  file: string;
  options: string;
  expected: number;
}

function readExpected(): Row[] {
  const text = fs.readFileSync(path.join(rulesCorpusDir, 'EXPECTED.md'), 'utf8');
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    const m = /^\|\s*([\w.-]+\.yml)\s*\|\s*(.*?)\s*\|\s*(\d+)\s*\|\s*$/.exec(line);
    if (m) rows.push({ file: m[1], options: m[2], expected: Number(m[3]) });
  }
  return rows;
}

/** The options column as runner options; an unknown wording fails the test rather than being guessed. */
function rowOptions(options: string): Partial<RuleTestOptions> {
  const o = options.replace(/`/g, '').trim();
  if (o === '—' || o === '-' || o === '' || o === 'all groups') return {};
  if (o === '@ modifier disabled') return { enableAtModifier: false };
  if (o === '@ modifier enabled') return { enableAtModifier: true };
  if (o === 'negative offset disabled') return { enableNegativeOffset: false };
  if (o === 'negative offset enabled') return { enableNegativeOffset: true };
  if (o === 'unknown fields ignored') return { ignoreUnknownFields: true };
  const run = /^run = (.+)$/.exec(o);
  if (run) return { run: run[1].split(',').map((s) => s.trim()) };
  throw new Error(`EXPECTED.md: unknown options ${JSON.stringify(options)}`);
}

describe('rules:test reproduces every row of the rules corpus EXPECTED.md', () => {
  const rows = readExpected();
  const templates = createRuleTemplateEngine();

  it('reads the table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(21);
  });

  it.each(rows.map((r) => [`${r.file} (${r.options}) → ${r.expected}`, r] as const))('%s', async (_title, row) => {
    const file = path.join(rulesCorpusDir, row.file);
    const result = await runRuleTestFile(file, fs.readFileSync(file, 'utf8'), fileSystemIO, { templates, ...rowOptions(row.options) });
    const { exitCode } = renderRuleTests([result]);
    expect({ exitCode, errors: row.expected === 0 ? result.errors : [] }).toEqual({ exitCode: row.expected, errors: [] });
  });
});
