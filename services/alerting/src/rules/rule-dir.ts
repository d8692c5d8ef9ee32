import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatRuleErrors, parseRuleFile, type RuleGroup } from './rule-file';
import { createRuleTemplateEngine } from './template-engine';

export interface RuleDirLoad {
  groups: RuleGroup[];
  /** promtool's texts, each naming the file and line (`<file>: 7:15: group "g", rule 1, …`). Empty = valid. */
  errors: string[];
  warnings: string[];
}

/** Every *.yml / *.yaml of `dir` (not recursive, sorted by name) parsed with the rule parser; errors of every file. */
export function loadRuleDir(dir: string): RuleDirLoad {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch (e) {
    return { groups: [], errors: [`${dir}: ${(e as Error).message}`], warnings: [] };
  }
  const templates = createRuleTemplateEngine();
  const out: RuleDirLoad = { groups: [], errors: [], warnings: [] };
  for (const name of names) {
    const file = path.join(dir, name);
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch (e) {
      out.errors.push(`${file}: ${(e as Error).message}`);
      continue;
    }
    const parsed = parseRuleFile(content, file, { templates });
    out.errors.push(...formatRuleErrors(parsed.errors));
    out.warnings.push(...parsed.warnings.map((w) => `${file}: ${w}`));
    out.groups.push(...parsed.groups);
  }
  return out;
}
