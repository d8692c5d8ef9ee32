/**
 * `{{ dotted.path }}` placeholders: compiled once (at load) into literal and placeholder parts, rendered many times.
 * Pure: no I/O, no knowledge of files or channels.
 */

export type TemplatePart = { literal: string } | { path: string };
export type CompiledText = readonly TemplatePart[];

/** What a template renders with: nested objects reached by dotted paths, leaves are strings, numbers or booleans. */
export type TemplateVars = { readonly [key: string]: TemplateValue };
export type TemplateValue = string | number | boolean | TemplateVars;

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Splits `source` into parts; throws on a malformed placeholder or a stray `{{` / `}}`, with what it found. */
export function compileText(source: string): CompiledText {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    const path = match[1].trim();
    if (!PATH.test(path)) throw new Error(`malformed placeholder "${match[0]}" (expected {{ name }} or {{ dotted.path }})`);
    pushLiteral(parts, source.slice(last, match.index));
    parts.push({ path });
    last = match.index + match[0].length;
  }
  pushLiteral(parts, source.slice(last));
  return parts;
}

function pushLiteral(parts: TemplatePart[], literal: string): void {
  if (literal.includes('{{') || literal.includes('}}')) throw new Error(`unbalanced braces in "${literal.trim().slice(0, 60)}"`);
  if (literal !== '') parts.push({ literal });
}

/** The placeholder paths a compiled text uses, in order of first use. */
export function placeholdersOf(text: CompiledText): string[] {
  const paths: string[] = [];
  for (const part of text) if ('path' in part && !paths.includes(part.path)) paths.push(part.path);
  return paths;
}

/** Renders `text`, passing every value through `escape` (identity for text and SMS, HTML escaping for HTML). */
export function renderText(text: CompiledText, vars: TemplateVars, escape: (value: string) => string = (v) => v): string {
  return text.map((part) => ('literal' in part ? part.literal : escape(lookup(vars, part.path)))).join('');
}

/** The value at a dotted path, as a string; throws naming the path when it is missing or not a scalar. */
export function lookup(vars: TemplateVars, path: string): string {
  let value: TemplateValue | undefined = vars;
  for (const key of path.split('.')) {
    value = typeof value === 'object' && Object.hasOwn(value, key) ? value[key] : undefined;
    if (value === undefined) throw new Error(`missing variable "${path}"`);
  }
  if (typeof value === 'object') throw new Error(`variable "${path}" is an object, not a value`);
  return String(value);
}
