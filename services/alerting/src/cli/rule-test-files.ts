import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleTestIO } from '../rule-tests/rule-test-runner';

/** filepath.Glob for the file-name part (`rules/*.yml`); a pattern without wildcards is returned as it is when it exists. */
function glob(pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) return fs.existsSync(pattern) ? [pattern] : [];
  const dir = path.dirname(pattern);
  const re = new RegExp(`^${path.basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => re.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

export const fileSystemIO: RuleTestIO = {
  resolveRuleFiles(patterns, testFile) {
    const warnings: string[] = [];
    const files: string[] = [];
    for (const p of patterns) {
      const full = path.isAbsolute(p) ? p : path.join(path.dirname(testFile), p);
      const m = glob(full);
      if (m.length === 0) warnings.push(`no file match pattern ${full}`);
      files.push(...m);
    }
    return { files, warnings };
  },
  readFile: (file) => fs.readFileSync(file, 'utf8'),
};
