import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';

/** A digest of what a reload would read: every *.yml / *.yaml in `dir` (name and content) and `file`. */
export function configDigest(dir: string, file: string): string {
  const h = createHash('sha256');
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort() : [];
  for (const name of names) {
    const path = join(dir, name);
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) continue;
    h.update(name).update('\0').update(readFileSync(path)).update('\0');
  }
  h.update('\0routing\0');
  if (existsSync(file)) h.update(readFileSync(file));
  return h.digest('hex');
}

/**
 * Watches the rules directory and the routing config file (Prometheus reloads on SIGHUP and /-/reload only; users
 * of mounted config maps expect file changes to apply too). Events are debounced, and `onChange` runs only when
 * the content really changed, so editors writing a file in several steps cause one reload.
 */
export class ConfigWatch {
  private watchers: FSWatcher[] = [];
  private timer?: NodeJS.Timeout;
  private digest: string;

  constructor(
    private readonly dir: string,
    private readonly file: string,
    private readonly onChange: () => void,
    private readonly debounceMs = 300,
  ) {
    this.digest = configDigest(dir, file);
  }

  start(): void {
    // The file's directory, not the file: editors and config-map updates replace files (a new inode).
    for (const target of new Set([this.dir, dirname(this.file)])) {
      if (!existsSync(target)) continue;
      const w = watch(target, () => this.schedule());
      w.on('error', () => undefined);
      this.watchers.push(w);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      let next: string;
      try {
        next = configDigest(this.dir, this.file);
      } catch {
        return; // a file vanished between listing and reading: the next event catches up
      }
      if (next === this.digest) return;
      this.digest = next;
      this.onChange();
    }, this.debounceMs);
  }
}
