import { formatRuleErrors, parseRuleFile, ruleName, type RuleGroup, type RuleParseOptions } from './rule-file';

/** promtool's --lint: `duplicate-rules` (the default) reports rules with the same name and labels. */
export type LintOption = 'all' | 'duplicate-rules' | 'none';

export interface CheckRulesOptions extends RuleParseOptions {
  lint?: LintOption;
  /** Lint findings exit with 3 instead of 0 (promtool's --lint-fatal). */
  lintFatal?: boolean;
}

export interface RuleFileCheck {
  file: string;
  /** Rules found when the file is valid. */
  ruleCount: number;
  /** promtool-formatted errors (non-empty = the file is invalid). */
  errors: string[];
  /** promtool-formatted lint findings (the file is still valid). */
  lint: string[];
  warnings: string[];
}

interface Duplicate {
  metric: string;
  labels: [string, string][];
}

/** promtool's checkDuplicates: rules with equal name and labels (group labels overridden by the rule's). */
export function findDuplicateRules(groups: readonly RuleGroup[]): Duplicate[] {
  const all: Duplicate[] = groups.flatMap((g) => g.rules.map((r) => ({ metric: ruleName(r), labels: Object.entries(r.labels).filter(([, v]) => v !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) })));
  const key = (d: Duplicate) => JSON.stringify([d.metric, d.labels]);
  all.sort((a, b) => compareDuplicates(a, b));
  const out: Duplicate[] = [];
  for (let i = 1; i < all.length; i++) {
    if (key(all[i - 1]) === key(all[i]) && (out.length === 0 || key(out[out.length - 1]) !== key(all[i]))) out.push(all[i]);
  }
  return out;
}

function compareDuplicates(a: Duplicate, b: Duplicate): number {
  if (a.metric !== b.metric) return a.metric < b.metric ? -1 : 1;
  const n = Math.min(a.labels.length, b.labels.length);
  for (let i = 0; i < n; i++) {
    const [an, av] = a.labels[i];
    const [bn, bv] = b.labels[i];
    if (an !== bn) return an < bn ? -1 : 1;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return a.labels.length - b.labels.length;
}

/** Validates one rule file as `promtool check rules` does. */
export function checkRuleFile(content: string, file: string, options: CheckRulesOptions): RuleFileCheck {
  const parsed = parseRuleFile(content, file, options);
  if (parsed.errors.length) return { file, ruleCount: 0, errors: formatRuleErrors(parsed.errors), lint: [], warnings: parsed.warnings };
  const ruleCount = parsed.groups.reduce((n, g) => n + g.rules.length, 0);
  const lint: string[] = [];
  if ((options.lint ?? 'duplicate-rules') !== 'none') {
    const dups = findDuplicateRules(parsed.groups);
    if (dups.length) {
      let text = `lint error ${dups.length} duplicate rule(s) found.\n`;
      for (const d of dups) text += `Metric: ${d.metric}\nLabel(s):\n${d.labels.map(([n, v]) => `\t${n}: ${v}\n`).join('')}`;
      lint.push(text + 'Might cause inconsistency while recording expressions');
    }
  }
  return { file, ruleCount, errors: [], lint, warnings: parsed.warnings };
}

export interface CheckOutput {
  /** Lines in order, each tagged with the stream promtool writes it to. */
  lines: { stream: 'stdout' | 'stderr'; text: string }[];
  exitCode: number;
}

/** promtool's report and exit code (0 valid, 1 any error, 3 lint findings with lintFatal). */
export function renderRuleChecks(checks: readonly RuleFileCheck[], options: Pick<CheckRulesOptions, 'lintFatal'>): CheckOutput {
  const lines: CheckOutput['lines'] = [];
  const out = (text: string) => lines.push({ stream: 'stdout', text });
  const err = (text: string) => lines.push({ stream: 'stderr', text });
  let failed = false;
  let hasErrors = false;
  for (const c of checks) {
    out(`Checking ${c.file}`);
    for (const w of c.warnings) err(`  WARNING: ${w}`);
    if (c.errors.length) {
      failed = hasErrors = true;
      err('  FAILED:');
      for (const e of c.errors) err(e);
      continue;
    }
    if (c.lint.length) {
      failed = true;
      err('  FAILED:');
      for (const l of c.lint) err(l);
    } else out(`  SUCCESS: ${c.ruleCount} rules found`);
    out('');
  }
  const exitCode = failed && hasErrors ? 1 : failed && options.lintFatal ? 3 : 0;
  return { lines, exitCode };
}
