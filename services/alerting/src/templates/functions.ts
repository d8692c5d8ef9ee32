import { RE2JS } from 're2js';
import { BUILTINS, queryEscape } from './builtins';
import type { TemplateFunc } from './exec';
import { compareStrings } from './exec';
import { quote } from './go-fmt';
import { GoDuration, GoError, GoMap, GoNil, GoSlice, GoStruct, NIL_INTERFACE, P, type GoValue } from './go-values';
import { convertToFloat, floatToTime, humanize, humanize1024, humanizeDuration, humanizePercentage, humanizeTimestamp } from './humanize';

/** One sample of a `query` result, as the rule evaluator hands it over. */
export interface QuerySample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Runs an instant PromQL query at the evaluation time; a scalar result is one sample without labels. */
export type TemplateQueryFn = (expr: string) => Promise<readonly QuerySample[]>;

export interface FunctionContext {
  readonly query?: TemplateQueryFn;
  /** Evaluation time, milliseconds since the epoch (`now`). */
  readonly nowMs: number;
  readonly externalURL: string;
}

export const SAMPLE_TYPE = '*template.sample';
export const QUERY_RESULT_TYPE = 'template.queryResult';

export function sampleValue(labels: Readonly<Record<string, string>>, value: number): GoStruct {
  return new GoStruct(SAMPLE_TYPE, new Map<string, GoValue>([['Labels', GoMap.strings(labels)], ['Value', value]]), true);
}

const NIL_DEREFERENCE = 'runtime error: invalid memory address or nil pointer dereference';

function samples(v: GoValue): readonly GoValue[] {
  return v instanceof GoSlice ? v.items : [];
}

function sampleField(s: GoValue, field: 'Labels' | 'Value'): GoValue {
  if (!(s instanceof GoStruct)) throw new Error(NIL_DEREFERENCE);
  return s.fields.get(field);
}

function sampleLabel(s: GoValue, name: string): string {
  const labels = sampleField(s, 'Labels') as GoMap;
  return (labels.entries.get(name) as string | undefined) ?? '';
}

/** Go's regexp quoting in MustCompile's panic: backquotes when possible. */
function regexpQuote(s: string): string {
  return /[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s) ? quote(s) : '`' + s + '`';
}

function compileRegexp(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    throw new GoError(e instanceof Error ? e.message : String(e));
  }
}

/** regexp.ReplaceAllString: Go's treatment of empty matches and of `$1`, `${name}`, `$$` in the replacement. */
export function reReplaceAll(pattern: string, repl: string, text: string): string {
  let re: RE2JS;
  try {
    re = compileRegexp(pattern);
  } catch (e) {
    throw new Error(`regexp: Compile(${regexpQuote(pattern)}): ${(e as Error).message}`);
  }
  const m = re.matcher(text);
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= text.length && m.find(searchPos)) {
    const start = m.start();
    const end = m.end();
    out += text.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) out += expandReplacement(repl, m);
    lastMatchEnd = end;
    const width = searchPos < text.length ? String.fromCodePoint(text.codePointAt(searchPos) ?? 0).length : 0;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + text.slice(lastMatchEnd);
}

function expandReplacement(template: string, m: ReturnType<RE2JS['matcher']>): string {
  const groupCount = m.groupCount();
  const named = m.getNamedGroups() as Record<string, unknown>;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const at = template.indexOf('$', i);
    if (at < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, at);
    i = at + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const ref = /^(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/.exec(template.slice(i));
    if (!ref) {
      out += '$';
      continue;
    }
    i += ref[0].length;
    const name = ref[1] ?? ref[2];
    if (/^\d+$/.test(name)) {
      const num = Number(name);
      out += num <= groupCount ? (m.group(num) ?? '') : '';
    } else if (name in named) {
      out += m.group(name) ?? '';
    }
  }
  return out;
}

/** golang.org/x/text cases.Title(language.AmericanEnglish, cases.NoLower): upper-case each word's first letter. */
export function title(s: string): string {
  let out = '';
  let inWord = false;
  const chars = [...s];
  chars.forEach((ch, i) => {
    const wordChar = /[\p{L}\p{M}\p{N}_]/u.test(ch);
    const joiner = /['.:\u2019]/.test(ch) && inWord && /[\p{L}\p{N}]/u.test(chars[i + 1] ?? '');
    if (wordChar && !inWord) out += ch.toUpperCase().length === ch.length ? ch.toUpperCase() : ch;
    else out += ch;
    inWord = wordChar || joiner;
  });
  return out;
}

/** strings.ToUpper / ToLower use one-to-one case mappings (Go keeps "ß" as it is). */
function mapCase(s: string, f: (c: string) => string): string {
  return [...s].map((c) => (f(c).length === c.length ? f(c) : c)).join('');
}

/** net.SplitHostPort. */
function splitHostPort(hostport: string): [string, string] | undefined {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0 || end + 1 === hostport.length || end + 1 !== i) return undefined;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return undefined;
  }
  if (hostport.slice(j).includes('[') || hostport.slice(k).includes(']')) return undefined;
  return [host, hostport.slice(i + 1)];
}

/** net.ParseIP(s) != nil: dotted IPv4 or IPv6 (optionally ending in IPv4). */
function isIP(s: string): boolean {
  const v4 = (x: string): boolean => /^(\d{1,3})(\.\d{1,3}){3}$/.test(x) && x.split('.').every((o) => Number(o) <= 255 && !/^0\d/.test(o));
  if (v4(s)) return true;
  if (!s.includes(':')) return false;
  let rest = s;
  const lastColon = rest.lastIndexOf(':');
  if (rest.slice(lastColon + 1).includes('.')) {
    if (!v4(rest.slice(lastColon + 1))) return false;
    rest = rest.slice(0, lastColon + 1) + '0:0';
  }
  const parts = rest.split('::');
  if (parts.length > 2) return false;
  const groupsOf = (p: string): string[] | undefined => {
    if (p === '') return [];
    const g = p.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = groupsOf(parts[0]);
  const tail = parts.length === 2 ? groupsOf(parts[1]) : [];
  if (!head || !tail) return false;
  const n = head.length + tail.length;
  return parts.length === 2 ? n < 8 : n === 8;
}

function stripDomain(hostPort: string): string {
  const split = splitHostPort(hostPort);
  let host = split ? split[0] : hostPort;
  const port = split ? split[1] : '';
  if (isIP(host)) return hostPort;
  host = host.split('.')[0];
  if (port !== '') return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return host;
}

const UNITS: Readonly<Record<string, [number, number]>> = {
  ms: [1e6, 1],
  s: [1e9, 2],
  m: [60e9, 3],
  h: [3600e9, 4],
  d: [86400e9, 5],
  w: [7 * 86400e9, 6],
  y: [365 * 86400e9, 7],
};

/** common/model.ParseDurationAllowNegative, in seconds. */
export function parseDurationSeconds(s: string): number {
  if (s !== '' && s[0] === '-') return -parseDurationSeconds(s.slice(1));
  if (s === '0') return 0;
  if (s === '') throw new GoError('empty duration string');
  let rest = s;
  let nanos = 0n;
  let lastUnitPos = 8;
  while (rest !== '') {
    const m = /^(\d+)(\D*)/.exec(rest);
    if (!m || m[2] === '') throw new GoError(`not a valid duration string: ${quote(s)}`);
    const unit = UNITS[m[2]];
    if (!unit) throw new GoError(`unknown unit ${quote(m[2])} in duration ${quote(s)}`);
    if (unit[1] >= lastUnitPos) throw new GoError(`not a valid duration string: ${quote(s)}`);
    lastUnitPos = unit[1];
    nanos += BigInt(m[1]) * BigInt(unit[0]);
    if (nanos > 2n ** 63n - 1n) throw new GoError('duration out of range');
    rest = rest.slice(m[0].length);
  }
  return Number(nanos) / 1e9;
}

/** url.URL.Path of the external URL (percent-decoded), "" when there is none. */
function urlPath(url: string): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(url) ?? /^([^?#]*)/.exec(url);
  try {
    return decodeURIComponent(m?.[1] ?? '');
  } catch {
    return m?.[1] ?? '';
  }
}

/** Names of Prometheus' template functions, for parse-time checks that need no context. */
export const PROMETHEUS_FUNCTION_NAMES: readonly string[] = [
  'query',
  'first',
  'label',
  'value',
  'strvalue',
  'args',
  'reReplaceAll',
  'safeHtml',
  'match',
  'title',
  'toUpper',
  'toLower',
  'graphLink',
  'tableLink',
  'sortByLabel',
  'stripPort',
  'stripDomain',
  'humanize',
  'humanize1024',
  'humanizeDuration',
  'humanizePercentage',
  'humanizeTimestamp',
  'toTime',
  'toDuration',
  'now',
  'pathPrefix',
  'externalURL',
  'parseDuration',
  'urlQueryEscape',
];

const ALL_NAMES = new Set([...BUILTINS.keys(), ...PROMETHEUS_FUNCTION_NAMES]);
export const hasTemplateFunction = (name: string): boolean => ALL_NAMES.has(name);

const s1 = (f: (s: string) => GoValue): TemplateFunc => ({ params: [P.string], call: ([s]) => f(s as string) });
const any1 = (f: (v: GoValue) => GoValue): TemplateFunc => ({ params: [P.any], call: ([v]) => f(v) });
const queryResult = P.named(QUERY_RESULT_TYPE);
const sample = P.named(SAMPLE_TYPE);

/** Go's builtins plus Prometheus' function map (template.NewTemplateExpander). */
export function templateFunctions(ctx: FunctionContext): ReadonlyMap<string, TemplateFunc> {
  const prometheus: Record<string, TemplateFunc> = {
    query: {
      params: [P.string],
      call: async ([q]) => {
        if (!ctx.query) throw new GoError('query is not available in this context');
        const result = await ctx.query(q as string);
        return new GoSlice(QUERY_RESULT_TYPE, result.map((r) => sampleValue(r.labels, r.value)));
      },
    },
    first: {
      params: [queryResult],
      call: ([v]) => {
        const items = samples(v);
        if (items.length === 0) throw new GoError('first() called on vector with no elements');
        return items[0];
      },
    },
    label: { params: [P.string, sample], call: ([l, s]) => sampleLabel(s, l as string) },
    value: { params: [sample], call: ([s]) => sampleField(s, 'Value') },
    strvalue: { params: [sample], call: ([s]) => sampleLabel(s, '__value__') },
    args: {
      params: [],
      variadic: P.any,
      call: (args) => new GoMap('map[string]interface {}', new Map(args.map((a, i) => [`arg${i}`, a])), NIL_INTERFACE),
    },
    reReplaceAll: { params: [P.string, P.string, P.string], call: ([p, r, t]) => reReplaceAll(p as string, r as string, t as string) },
    safeHtml: s1((s) => s),
    match: { params: [P.string, P.string], call: ([p, s]) => compileRegexp(p as string).matcher(s as string).find() },
    title: s1(title),
    toUpper: s1((s) => mapCase(s, (c) => c.toUpperCase())),
    toLower: s1((s) => mapCase(s, (c) => c.toLowerCase())),
    graphLink: s1((e) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=0`),
    tableLink: s1((e) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=1`),
    sortByLabel: {
      params: [P.string, queryResult],
      call: ([by, v]) => {
        if (v instanceof GoNil) return v;
        const items = [...samples(v)];
        items.sort((a, b) => compareStrings(sampleLabel(a, by as string), sampleLabel(b, by as string)));
        return new GoSlice(QUERY_RESULT_TYPE, items);
      },
    },
    stripPort: s1((hp) => splitHostPort(hp)?.[0] ?? hp),
    stripDomain: s1(stripDomain),
    humanize: any1(humanize),
    humanize1024: any1(humanize1024),
    humanizeDuration: any1(humanizeDuration),
    humanizePercentage: any1(humanizePercentage),
    humanizeTimestamp: any1(humanizeTimestamp),
    toTime: any1((v) => floatToTime(convertToFloat(v))),
    toDuration: any1((v) => new GoDuration(Math.trunc(convertToFloat(v) * 1e9))),
    now: { params: [], call: () => ctx.nowMs / 1000 },
    pathPrefix: { params: [], call: () => urlPath(ctx.externalURL) },
    externalURL: { params: [], call: () => ctx.externalURL },
    parseDuration: s1(parseDurationSeconds),
    urlQueryEscape: s1(queryEscape),
  };
  return new Map([...BUILTINS, ...Object.entries(prometheus)]);
}
