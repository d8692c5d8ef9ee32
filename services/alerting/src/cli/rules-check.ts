import * as fs from 'node:fs';
import { checkRuleFile, renderRuleChecks, type RuleFileCheck } from '../rules/rule-check';
import { createRuleTemplateEngine } from '../rules/template-engine';
import { CliUsageError, parseRuleCliArgs, resolveUserPath } from './cli-args';

const USAGE = `usage: npm run rules:check -- [flags] <rule-files>...   (no files: standard input)

Checks Prometheus rule files like \`promtool check rules\`. Exit code 0 valid, 1 invalid, 3 lint findings with --lint-fatal.

  --ignore-unknown-fields        accept fields rulefmt does not know
  --lint=duplicate-rules|all|none  (default duplicate-rules)
  --lint-fatal                   lint findings exit with 3
  --disable-feature=promql-at-modifier,promql-negative-offset
  --enable-feature=promql-experimental-functions
`;

function main(argv: string[]): number {
  let args;
  try {
    args = parseRuleCliArgs(argv, ['ignore-unknown-fields', 'lint', 'lint-fatal', 'enable-feature', 'disable-feature']);
  } catch (e) {
    if (e instanceof CliUsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const options = { ...args, templates: createRuleTemplateEngine() };
  const inputs = args.files.length ? args.files.map((f) => ({ name: f, path: resolveUserPath(f) })) : [{ name: 'standard input', path: null }];
  const checks: RuleFileCheck[] = inputs.map(({ name, path }) => {
    let content: string;
    try {
      content = path === null ? fs.readFileSync(0, 'utf8') : fs.readFileSync(path, 'utf8');
    } catch (e) {
      return { file: name, ruleCount: 0, errors: [`${name}: ${(e as Error).message}`], lint: [], warnings: [] };
    }
    return checkRuleFile(content, name, options);
  });
  const report = renderRuleChecks(checks, args);
  for (const l of report.lines) (l.stream === 'stdout' ? process.stdout : process.stderr).write(`${l.text}\n`);
  return report.exitCode;
}

process.exitCode = main(process.argv.slice(2));
