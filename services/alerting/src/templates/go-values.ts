/**
 * The Go values a template works with, as far as Prometheus' alert templates need them. Go's text/template is built
 * on reflection; this model keeps the distinctions that change a template's result: `int` (literals, `len`, range
 * indexes) versus `float64` (`$value`, `humanize` input), maps with their zero value (missingkey=zero), named types
 * for error messages, and the difference between an invalid value (prints `<no value>`) and a nil interface
 * (prints `<nil>`).
 */

/** A Go `int` (a JS number: exact up to 2^53, which is all a template produces). A bare JS number is a `float64`. */
export class GoInt {
  constructor(readonly value: number) {}
}

/** A typed nil: a nil interface (`interface {}`) or nil pointer; prints `<nil>`, is false. */
export class GoNil {
  constructor(readonly type: string) {}
}
export const NIL_INTERFACE = new GoNil('interface {}');

/** A Go map with string keys; `zero` is what a missing key yields (Prometheus runs templates with missingkey=zero). */
export class GoMap {
  constructor(
    readonly type: string,
    readonly entries: ReadonlyMap<string, GoValue>,
    readonly zero: GoValue,
  ) {}

  static strings(record: Readonly<Record<string, string>>): GoMap {
    return new GoMap('map[string]string', new Map(Object.entries(record)), '');
  }
}

/** A Go slice (or named slice type such as `template.queryResult`). */
export class GoSlice {
  constructor(
    readonly type: string,
    readonly items: readonly GoValue[],
  ) {}
}

/** A callable method or function, as the executor sees it. */
export interface GoFunc {
  readonly params: readonly ParamType[];
  /** Type of the trailing `...` parameter, when the function is variadic. */
  readonly variadic?: ParamType;
  /** Returns the result, or throws `GoError` (Go's second `error` result) or anything else (a panic). */
  readonly call: (args: GoValue[]) => GoValue | Promise<GoValue>;
}

/** A struct or pointer to struct: named fields in declaration order, optional methods. */
export class GoStruct {
  constructor(
    readonly type: string,
    readonly fields: ReadonlyMap<string, GoValue>,
    readonly pointer: boolean,
    readonly methods: Readonly<Record<string, GoFunc>> = {},
  ) {}
}

/** `time.Duration` (int64 nanoseconds; held as a JS number of nanoseconds). */
export class GoDuration {
  constructor(readonly nanos: number) {}
}

/** `time.Time` in UTC (nanoseconds since the epoch as a bigint; Prometheus' times come with millisecond precision). */
export class GoTime {
  constructor(readonly unixNanos: bigint) {}
}

export type GoValue = undefined | string | number | boolean | GoInt | GoNil | GoMap | GoSlice | GoStruct | GoDuration | GoTime;

/** An error a Go function returns (as opposed to a panic); the executor reports both as `error calling f: <msg>`. */
export class GoError extends Error {}

/** Parameter types, checked the way reflect's AssignableTo would for the functions Prometheus registers. */
export type ParamType =
  | { readonly kind: 'string' | 'float64' | 'int' | 'bool' | 'any' | 'value' }
  | { readonly kind: 'named'; readonly type: string };

export const P = {
  string: { kind: 'string' },
  float64: { kind: 'float64' },
  int: { kind: 'int' },
  bool: { kind: 'bool' },
  /** `interface{}`: anything; an invalid value becomes a nil interface. */
  any: { kind: 'any' },
  /** `reflect.Value`: anything, an invalid value stays invalid (Go's builtins: and, or, not, eq, len, index). */
  value: { kind: 'value' },
  named: (type: string): ParamType => ({ kind: 'named', type }),
} as const satisfies Record<string, ParamType | ((t: string) => ParamType)>;

export function paramTypeName(t: ParamType): string {
  switch (t.kind) {
    case 'any':
      return 'interface {}';
    case 'value':
      return 'reflect.Value';
    case 'named':
      return t.type;
    default:
      return t.kind;
  }
}

/** Go's `%T` / reflect.Type.String() of a value. */
export function typeName(v: GoValue): string {
  if (v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt) return 'int';
  if (v instanceof GoDuration) return '*time.Duration';
  if (v instanceof GoTime) return '*time.Time';
  return v.type;
}

/** Go's `kind` of a value, for the builtins that switch on it. */
export type Kind = 'invalid' | 'string' | 'float' | 'int' | 'bool' | 'map' | 'slice' | 'struct' | 'ptr' | 'nil';

export function kindOf(v: GoValue): Kind {
  if (v === undefined) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt) return 'int';
  if (v instanceof GoNil) return 'nil';
  if (v instanceof GoMap) return 'map';
  if (v instanceof GoSlice) return 'slice';
  if (v instanceof GoStruct) return v.pointer ? 'ptr' : 'struct';
  return 'ptr'; // *time.Time, *time.Duration
}

/** text/template's truth: false, 0, a nil pointer or interface, an empty string, map or slice are false. */
export function isTrue(v: GoValue): boolean {
  if (v === undefined || v instanceof GoNil) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'boolean') return v;
  if (v instanceof GoInt) return v.value !== 0;
  if (v instanceof GoMap) return v.entries.size > 0;
  if (v instanceof GoSlice) return v.items.length > 0;
  return true; // structs and non-nil pointers
}

/** Whether `v` may be passed where `t` is expected (reflect's AssignableTo, after unwrapping interfaces). */
export function assignable(v: GoValue, t: ParamType): boolean {
  switch (t.kind) {
    case 'any':
    case 'value':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'float64':
      return typeof v === 'number';
    case 'int':
      return v instanceof GoInt;
    case 'bool':
      return typeof v === 'boolean';
    case 'named':
      // One pointer indirection is allowed, as reflect-based validateType does (*time.Duration → time.Duration).
      return v !== undefined && (typeName(v) === t.type || typeName(v) === '*' + t.type);
  }
}

/** Whether Go's untyped nil is assignable to the type (pointers, maps, slices, interfaces). */
export function canBeNil(t: ParamType): boolean {
  return t.kind === 'any' || t.kind === 'value' || (t.kind === 'named' && /^(\*|map\[|\[\]|template\.queryResult$)/.test(t.type));
}

/** Byte length of a string in UTF-8, which is what Go's `len` and positions count. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
