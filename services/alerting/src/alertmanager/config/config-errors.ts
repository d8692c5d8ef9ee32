import { pathKey, type YamlTree } from '../../rules/yaml-tree';

export type ConfigPath = (string | number)[];

/** `route.routes[0].receiver`, as the errors name a field. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/**
 * Collects the errors of one config file as `file:line: path: message`, finding the line of a path (or of its
 * nearest ancestor present in the file) in the YAML tree.
 */
export class ConfigErrors {
  private readonly found: { line: number; message: string }[] = [];

  /** The messages in file order (those without a line first). */
  get messages(): string[] {
    return [...this.found].sort((a, b) => a.line - b.line).map((e) => e.message);
  }

  constructor(
    private readonly file: string,
    private readonly tree: YamlTree | undefined,
  ) {}

  lineOf(path: readonly (string | number)[]): number | undefined {
    if (!this.tree) return undefined;
    for (let n = path.length; n >= 0; n--) {
      const node = this.tree.nodes.get(pathKey(path.slice(0, n)));
      if (node) {
        const line = (node.keyPosition ?? node.position).line;
        if (line > 0) return line;
      }
    }
    return undefined;
  }

  /** `line` null: the error has no place in the file (something missing). */
  add(path: readonly (string | number)[], message: string, line?: number | null): void {
    const at = line === undefined ? this.lineOf(path) : line;
    const where = at !== undefined && at !== null ? `${this.file}:${at}` : this.file;
    this.found.push({ line: at ?? 0, message: path.length > 0 ? `${where}: ${formatPath(path)}: ${message}` : `${where}: ${message}` });
  }
}
