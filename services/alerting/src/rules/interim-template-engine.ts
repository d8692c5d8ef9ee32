import { formatGoFloat } from './go-format';
import type { AlertTemplateData, RuleTemplateEngine } from './rule-templates';

/**
 * A stand-in for the template engine until services/alerting/src/templates lands: enough of Go's text/template for
 * the templates rules usually carry — text, `{{ $labels.name }}`, `{{ .Labels.name }}`, `{{ $value }}`,
 * `{{ $externalLabels.name }}`, `{{ $externalURL }}`, `{{ $x := … }}`, comments and `{{-`/`-}}` trimming. It reports
 * unclosed actions, undefined variables and unknown functions as Go does at parse time; any construct beyond that
 * parses but expands to `<error expanding template: …>`.
 */

/** Prometheus' template functions plus Go's builtins: calling one is not a parse error. */
const FUNCTIONS = new Set([
  'query', 'first', 'label', 'value', 'strvalue', 'args', 'reReplaceAll', 'safeHtml', 'match', 'title', 'toUpper', 'toLower', 'graphLink',
  'tableLink', 'sortByLabel', 'stripPort', 'stripDomain', 'humanize', 'humanize1024', 'humanizeDuration', 'humanizePercentage',
  'humanizeTimestamp', 'toTime', 'toDuration', 'now', 'pathPrefix', 'externalURL', 'parseDuration',
  'and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'html', 'js', 'urlquery', 'call', 'eq', 'ne', 'lt', 'le', 'gt', 'ge',
]);
const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', 'false']);

interface Segment {
  text?: string;
  action?: string;
  line: number;
}

class InterimTemplateError extends Error {}

function split(text: string, name: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (text[k] === '\n') line++;
    i = to;
  };
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      out.push({ text: text.slice(i), line });
      break;
    }
    if (open > i) out.push({ text: text.slice(i, open), line });
    advance(open);
    const start = line;
    let j = open + 2;
    let quote = '';
    for (; j < text.length; j++) {
      const c = text[j];
      if (quote) {
        if (c === '\\' && quote !== '`') j++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === '`' || c === "'") quote = c;
      else if (text.startsWith('}}', j)) break;
    }
    if (j >= text.length) throw new InterimTemplateError(`template: ${name}:${start}: unclosed action`);
    out.push({ action: text.slice(open + 2, j), line: start });
    advance(j + 2);
  }
  // {{- and -}} trim the whitespace next to them.
  for (let k = 0; k < out.length; k++) {
    const a = out[k].action;
    if (a === undefined) continue;
    if (/^-\s/.test(a) && out[k - 1]?.text !== undefined) out[k - 1].text = (out[k - 1].text as string).replace(/\s+$/, '');
    if (/\s-$/.test(a) && out[k + 1]?.text !== undefined) out[k + 1].text = (out[k + 1].text as string).replace(/^\s+/, '');
    out[k].action = a.replace(/^-\s/, ' ').replace(/\s-$/, ' ').trim();
  }
  return out;
}

const VARIABLE = /\$[A-Za-z0-9_]*/g;

function checkAction(action: string, declared: Set<string>, name: string, line: number): void {
  if (/^\/\*[\s\S]*\*\/$/.test(action)) return;
  const stripped = action.replace(/"(?:\\.|[^"\\])*"|`[^`]*`|'(?:\\.|[^'\\])*'/g, '""');
  const decl = /^(\$[A-Za-z0-9_]*)(?:\s*,\s*(\$[A-Za-z0-9_]*))?\s*:?=/.exec(stripped.replace(/^(range|with|if)\s+/, ''));
  const body = decl ? stripped.replace(/^(range|with|if)\s+/, '').slice(decl[0].length) : stripped;
  for (const v of body.match(VARIABLE) ?? []) if (v !== '$' && !declared.has(v)) throw new InterimTemplateError(`template: ${name}:${line}: undefined variable "${v}"`);
  for (const word of body.replace(/[$.][A-Za-z0-9_.]*/g, ' ').match(/\b[A-Za-z_][A-Za-z0-9_]*\b/g) ?? []) {
    if (!FUNCTIONS.has(word) && !KEYWORDS.has(word) && !/^\d/.test(word)) throw new InterimTemplateError(`template: ${name}:${line}: function "${word}" not defined`);
  }
  if (decl) {
    declared.add(decl[1]);
    if (decl[2]) declared.add(decl[2]);
  }
}

function parse(text: string, name: string): Segment[] {
  const segments = split(text, name);
  const declared = new Set<string>();
  for (const s of segments) if (s.action !== undefined) checkAction(s.action, declared, name, s.line);
  return segments;
}

type Value = string | number | Record<string, string> | undefined;

function lookup(root: Record<string, Value>, path: string): Value {
  let cur: Value = root as unknown as Value;
  for (const field of path.split('.').filter(Boolean)) {
    if (cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, Value>)[field] ?? ((cur as Record<string, Value>) === (root as unknown) ? undefined : '');
  }
  return cur;
}

function render(v: Value): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return formatGoFloat(v);
  if (typeof v === 'object') return `map[${Object.keys(v).sort().map((k) => `${k}:${v[k]}`).join(' ')}]`;
  return v;
}

export class InterimTemplateEngine implements RuleTemplateEngine {
  check(text: string, name: string): string | null {
    try {
      parse(text, name);
      return null;
    } catch (e) {
      if (e instanceof InterimTemplateError) return e.message;
      throw e;
    }
  }

  expand(text: string, name: string, data: AlertTemplateData, _evalTime?: number): string {
    try {
      const dot: Record<string, Value> = { Labels: data.labels, ExternalLabels: data.externalLabels, ExternalURL: data.externalURL, Value: data.value };
      const vars = new Map<string, Value>([['$', dot as unknown as Value]]);
      let out = '';
      for (const s of parse(text, name)) {
        if (s.text !== undefined) {
          out += s.text;
          continue;
        }
        const action = s.action as string;
        if (/^\/\*[\s\S]*\*\/$/.test(action)) continue;
        const decl = /^(\$[A-Za-z0-9_]*)\s*:?=\s*([\s\S]*)$/.exec(action);
        const expr = (decl ? decl[2] : action).trim();
        let value: Value;
        const ref = /^(\$[A-Za-z0-9_]*)?((?:\.[A-Za-z0-9_]+)*)$/.exec(expr);
        if (expr === '.') value = dot as unknown as Value;
        else if (ref && (ref[1] || ref[2])) {
          const base = ref[1] ? vars.get(ref[1]) : (dot as unknown as Value);
          value = ref[2] ? lookup(base as Record<string, Value>, ref[2]) : base;
        } else if (/^"(?:\\.|[^"\\])*"$/.test(expr)) value = JSON.parse(expr) as string;
        else if (/^[-+]?\d+(\.\d+)?$/.test(expr)) value = Number(expr);
        else throw new InterimTemplateError(`template: ${name}:${s.line}: ${JSON.stringify(expr)} is not supported by the interim template engine`);
        if (decl) vars.set(decl[1], value);
        else out += render(value);
      }
      return out;
    } catch (e) {
      return `<error expanding template: ${e instanceof Error ? e.message : String(e)}>`;
    }
  }
}
