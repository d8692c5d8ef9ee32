import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { compileTemplateFile } from './template-file';
import { Templates } from './templates';

/** Loads every `<name>.yaml` / `<name>.yml` in `dir` (not recursive); the first bad file fails the load, naming it. */
export function loadTemplates(dir: string): Templates {
  const files = readdirSync(dir)
    .filter((f) => ['.yaml', '.yml'].includes(extname(f)))
    .sort();
  if (files.length === 0) throw new Error(`no templates (*.yaml) in ${dir}`);
  return new Templates(files.map((f) => compileTemplateFile(basename(f, extname(f)), join(dir, f), readFileSync(join(dir, f), 'utf8'))));
}
