import type { TemplateFunc } from './exec';
import { compareStrings } from './exec';
import { formatV, isPrint, sprint, sprintf, sprintln } from './go-fmt';
import { GoError, GoInt, GoMap, GoNil, GoSlice, P, isTrue, typeName, utf8Length, type GoValue } from './go-values';

/** text/template's predefined functions (text/template/funcs.go), minus `call` and `slice`. */

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';

function basicKind(v: GoValue): Kind {
  if (v === undefined || v instanceof GoNil) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt) return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  return 'other';
}

function basicValue(v: GoValue): number | string | boolean {
  return v instanceof GoInt ? v.value : (v as number | string | boolean);
}

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';
const errNoComparison = 'missing argument for comparison';

function eq(arg1: GoValue, ...arg2: GoValue[]): boolean {
  if (arg2.length === 0) throw new GoError(errNoComparison);
  const k1 = basicKind(arg1);
  for (const arg of arg2) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new GoError(errBadComparison);
    } else if (k1 === 'invalid') {
      truth = true;
    } else if (k1 === 'other') {
      if (arg1 instanceof GoMap || arg1 instanceof GoSlice) throw new GoError(`non-comparable type ${formatV(arg1)}: ${typeName(arg1)}`);
      truth = arg1 === arg;
    } else {
      truth = basicValue(arg1) === basicValue(arg);
    }
    if (truth) return true;
  }
  return false;
}

function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new GoError(errBadComparisonType);
  if (k1 !== k2) throw new GoError(errBadComparison);
  if (k1 === 'bool') throw new GoError(errBadComparisonType);
  if (k1 === 'string') return compareStrings(a as string, b as string) < 0;
  return (basicValue(a) as number) < (basicValue(b) as number);
}

function le(a: GoValue, b: GoValue): boolean {
  return lt(a, b) || eq(a, b);
}

function length(item: GoValue): GoValue {
  if (item instanceof GoNil) throw new GoError('len of nil pointer');
  if (item === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return new GoInt(utf8Length(item));
  if (item instanceof GoMap) return new GoInt(item.entries.size);
  if (item instanceof GoSlice) return new GoInt(item.items.length);
  throw new GoError(`len of type ${typeName(item)}`);
}

function index(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === undefined) throw new GoError('index of untyped nil');
  let cur: GoValue = item;
  for (const ix of indexes) {
    if (cur instanceof GoNil) throw new GoError('index of nil pointer');
    if (cur instanceof GoSlice || typeof cur === 'string') {
      if (ix === undefined || ix instanceof GoNil) throw new GoError('cannot index slice/array with nil');
      if (!(ix instanceof GoInt)) throw new GoError(`cannot index slice/array with type ${typeName(ix)}`);
      const bytes: Uint8Array | undefined = typeof cur === 'string' ? new TextEncoder().encode(cur) : undefined;
      const len: number = bytes ? bytes.length : (cur as GoSlice).items.length;
      if (ix.value < 0 || ix.value > len) throw new GoError(`index out of range: ${ix.value}`);
      if (ix.value === len) throw new Error(`reflect: ${bytes ? 'string' : 'slice'} index out of range`);
      cur = bytes ? new GoInt(bytes[ix.value]) : (cur as GoSlice).items[ix.value];
    } else if (cur instanceof GoMap) {
      if (ix === undefined || ix instanceof GoNil) throw new GoError('value is nil; should be of type string');
      if (typeof ix !== 'string') throw new GoError(`value has type ${typeName(ix)}; should be string`);
      cur = cur.entries.has(ix) ? cur.entries.get(ix) : cur.zero;
    } else {
      throw new GoError(`can't index item of type ${typeName(cur)}`);
    }
  }
  return cur;
}

/** Go's evalArgs for html/js/urlquery: a lone string as is, anything else through fmt.Sprint. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

/** template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}

/** template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const special: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };
    if (special[ch]) out += special[ch];
    else if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp < 0x80 || isPrint(cp)) out += ch;
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape: unreserved bytes as is, space as `+`, everything else `%XX`. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const fn = (f: Omit<TemplateFunc, 'call'> & { call: TemplateFunc['call'] }): TemplateFunc => f;

export const BUILTINS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['and', fn({ params: [P.value], variadic: P.value, shortCircuit: 'and', call: () => undefined })],
  ['or', fn({ params: [P.value], variadic: P.value, shortCircuit: 'or', call: () => undefined })],
  ['not', fn({ params: [P.value], call: ([v]) => !isTrue(v) })],
  ['len', fn({ params: [P.value], call: ([v]) => length(v) })],
  ['index', fn({ params: [P.value], variadic: P.value, call: ([item, ...ix]) => index(item, ...ix) })],
  ['print', fn({ params: [], variadic: P.any, call: (args) => sprint(args) })],
  ['println', fn({ params: [], variadic: P.any, call: (args) => sprintln(args) })],
  ['printf', fn({ params: [P.string], variadic: P.any, call: ([f, ...args]) => sprintf(f as string, args) })],
  ['html', fn({ params: [], variadic: P.any, call: (args) => htmlEscape(evalArgs(args)) })],
  ['js', fn({ params: [], variadic: P.any, call: (args) => jsEscape(evalArgs(args)) })],
  ['urlquery', fn({ params: [], variadic: P.any, call: (args) => queryEscape(evalArgs(args)) })],
  ['eq', fn({ params: [P.value], variadic: P.value, call: ([a, ...b]) => eq(a, ...b) })],
  ['ne', fn({ params: [P.value, P.value], call: ([a, b]) => !eq(a, b) })],
  ['lt', fn({ params: [P.value, P.value], call: ([a, b]) => lt(a, b) })],
  ['le', fn({ params: [P.value, P.value], call: ([a, b]) => le(a, b) })],
  ['gt', fn({ params: [P.value, P.value], call: ([a, b]) => !le(a, b) })],
  ['ge', fn({ params: [P.value, P.value], call: ([a, b]) => !lt(a, b) })],
]);
