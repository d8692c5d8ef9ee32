import * as fs from 'node:fs';
import { runRuleTestFile, renderRuleTests, type RuleTestFileResult } from '../rule-tests/rule-test-runner';
import { fileSystemIO } from './rule-test-files';
import { createRuleTemplateEngine } from '../rules/template-engine';
import { CliUsageError, parseRuleCliArgs, resolveUserPath } from './cli-args';

const USAGE = `usage: npm run rules:test -- [flags] <test-rule-file>...

Unit tests for rules, like \`promtool test rules\`. Exit code 0 when every test group passes, 1 otherwise.

  --run=<regexp>                 only test groups whose name matches (repeatable)
  --ignore-unknown-fields        accept unknown fields in the rule files
  --disable-feature=promql-at-modifier,promql-negative-offset
  --enable-feature=promql-experimental-functions
`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseRuleCliArgs(argv, ['run', 'ignore-unknown-fields', 'enable-feature', 'disable-feature']);
  } catch (e) {
    if (e instanceof CliUsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.help || args.files.length === 0) {
    (args.help ? process.stdout : process.stderr).write(USAGE);
    return args.help ? 0 : 2;
  }
  const options = { ...args, templates: createRuleTemplateEngine() };
  const results: RuleTestFileResult[] = [];
  for (const name of args.files) {
    const full = resolveUserPath(name);
    let content: string;
    try {
      content = fs.readFileSync(full, 'utf8');
    } catch (e) {
      results.push({ file: name, errors: [(e as Error).message], warnings: [], groups: [] });
      continue;
    }
    const r = await runRuleTestFile(full, content, fileSystemIO, options);
    results.push({ ...r, file: name });
  }
  const report = renderRuleTests(results);
  for (const l of report.lines) (l.stream === 'stdout' ? process.stdout : process.stderr).write(`${l.text}\n`);
  return report.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
