import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';

/** 1-based line and column, as yaml.v3's Node.Line/Column. */
export interface Position {
  line: number;
  column: number;
}

export type YamlKind = 'map' | 'seq' | 'str' | 'null';

/** Where a value sits in the source, and what it was written as (for Go-style "cannot unmarshal !!seq" errors). */
export interface YamlNodeInfo {
  position: Position;
  /** The key's position when the value belongs to a mapping key. */
  keyPosition?: Position;
  kind: YamlKind;
  /** Scalar text, for `!!str \`text\``. */
  text?: string;
}

/**
 * A YAML document as plain data plus the source position of every value, keyed by its path. Scalars stay strings,
 * exactly as written (the failsafe schema): `limit: 5`, `values: 1` and `for: 5m` all arrive as text, and the
 * schema decides what they mean — as Go's yaml decoding does for the typed struct fields.
 */
export interface YamlTree {
  value: unknown;
  nodes: Map<string, YamlNodeInfo>;
  /** More than one document in the file (Prometheus uses the first and warns). */
  multipleDocuments: boolean;
}

export type YamlReadResult = { ok: true; tree: YamlTree } | { ok: false; position: Position; message: string };

export function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map((p) => (typeof p === 'number' ? p : String(p))));
}

const NULL_PLAIN = /^(~|null|Null|NULL|)$/;

export function readYaml(content: string): YamlReadResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(content, { schema: 'failsafe', lineCounter, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0] as Document | undefined;
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc && doc.errors.length > 0) {
    const err = doc.errors[0];
    return { ok: false, position: pos(err.pos[0]), message: err.message.replace(/ at line \d+, column \d+[\s\S]*$/, '') };
  }
  const nodes = new Map<string, YamlNodeInfo>();
  const convert = (node: unknown, path: (string | number)[], keyPosition?: Position): unknown => {
    const key = pathKey(path);
    if (isAlias(node) && doc) return convert(node.resolve(doc), path, keyPosition);
    const at = (n: Node): Position => (n.range ? pos(n.range[0]) : keyPosition ?? { line: 0, column: 0 });
    if (isMap(node)) {
      nodes.set(key, { position: at(node), keyPosition, kind: 'map' });
      const out: Record<string, unknown> = {};
      for (const item of node.items) {
        const k = isScalar(item.key) ? String(item.key.value) : String(item.key);
        const kp = isScalar(item.key) && item.key.range ? pos(item.key.range[0]) : undefined;
        out[k] = convert(item.value, [...path, k], kp);
      }
      return out;
    }
    if (isSeq(node)) {
      nodes.set(key, { position: at(node), keyPosition, kind: 'seq' });
      return node.items.map((item, i) => convert(item, [...path, i]));
    }
    if (isScalar(node)) {
      const text = String(node.value ?? '');
      const isNull = (node.type === 'PLAIN' || node.type === undefined) && NULL_PLAIN.test(text);
      nodes.set(key, { position: at(node), keyPosition, kind: isNull ? 'null' : 'str', text });
      return isNull ? null : text;
    }
    nodes.set(key, { position: keyPosition ?? { line: 0, column: 0 }, keyPosition, kind: 'null' });
    return null;
  };
  const value = doc ? convert(doc.contents, []) : null;
  return { ok: true, tree: { value, nodes, multipleDocuments: list.length > 1 } };
}
