import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import type {
  AggregateOp,
  AtModifier,
  BinaryOp,
  DurationNode,
  Expr,
  LabelMatcherNode,
  MatchType,
  PositionRange,
  VectorMatching,
  VectorSelector,
} from './ast';
import { PromQLParseError } from './parse-error';
import { BINARY_PRECEDENCE, joinChains } from './long-chain';
import { parseNumberLiteral } from './duration';
import { unquoteString } from './string-literal';

const EXPR_NODES = new Set([
  'AggregateExpr',
  'BinaryExpr',
  'FunctionCall',
  'MatrixSelector',
  'NumberDurationLiteral',
  'OffsetExpr',
  'AnchoredExpr',
  'SmoothedExpr',
  'ParenExpr',
  'StringLiteral',
  'SubqueryExpr',
  'UnaryExpr',
  'VectorSelector',
  'StepInvariantExpr',
]);

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Gte: '>=',
  Gtr: '>',
  Lte: '<=',
  Lss: '<',
  Neq: '!=',
  And: 'and',
  Unless: 'unless',
  Or: 'or',
  TrimUpper: '</',
  TrimLower: '>/',
};

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/**
 * Rewrites the three spots where lezer-promql's grammar is narrower than Prometheus' own parser, without moving any
 * character (positions in errors and annotations stay valid): `2.` → `2 `, and `STEP()`/`Range()`/`MIN_OF(` in any case
 * → lower case (the Go lexer lowercases keywords).
 */
export function normalizeForLezer(query: string): string {
  let out = '';
  let i = 0;
  let bracketDepth = 0;
  // After `offset` a duration expression follows: it lasts while parentheses are open or no space has ended it.
  let offsetMode = false;
  let offsetParens = 0;
  let offsetStarted = false;
  while (i < query.length) {
    const c = query[i];
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < query.length && query[j] !== c) j += c !== '`' && query[j] === '\\' ? 2 : 1;
      out += query.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '#') {
      const j = query.indexOf('\n', i);
      const end = j < 0 ? query.length : j;
      out += query.slice(i, end);
      i = end;
      continue;
    }
    if (c === '.' && i > 0 && /[0-9]/.test(query[i - 1]) && !/[0-9]/.test(query[i + 1] ?? '')) {
      // Only a number's trailing dot: the digits before must not belong to an identifier.
      let k = i - 1;
      while (k >= 0 && /[0-9_]/.test(query[k])) k--;
      if (k < 0 || !/[A-Za-z_:.]/.test(query[k])) {
        out += ' ';
        i++;
        continue;
      }
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(query.slice(i, i + 40));
    if (word) {
      const w = word[0];
      const lower = w.toLowerCase();
      const prev = i > 0 ? query[i - 1] : '';
      const call = /^\s*\(/.test(query.slice(i + w.length)) && !/[A-Za-z0-9_:]/.test(prev);
      const inDuration = bracketDepth > 0 || offsetMode;
      if (call && (lower === 'min_of' || lower === 'max_of') && !inDuration) {
        // lezer knows min_of/max_of only inside durations; as scalar functions they are parsed under a stand-in name
        // of the same length, and the builder reads the real name from the original text.
        out += lower === 'min_of' ? STAND_IN.min_of : STAND_IN.max_of;
      } else if (call && ['step', 'range', 'min_of', 'max_of', 'start', 'end'].includes(lower)) {
        out += lower;
      } else out += w;
      if (offsetMode) offsetStarted = true;
      if (lower === 'offset') {
        offsetMode = true;
        offsetParens = 0;
        offsetStarted = false;
      }
      i += w.length;
      continue;
    }
    if (c === '[') bracketDepth++;
    if (c === ']') bracketDepth = Math.max(0, bracketDepth - 1);
    if (offsetMode) {
      if (c === '(') offsetParens++;
      else if (c === ')') {
        offsetParens--;
        if (offsetParens < 0) offsetMode = false;
      } else if (/\s/.test(c) && offsetParens === 0 && offsetStarted) offsetMode = false;
      else if (!/\s/.test(c)) offsetStarted = true;
    }
    out += c;
    i++;
  }
  return out;
}

const STAND_IN = { min_of: 'resets', max_of: 'absent' };


class Builder {
  /** Binary expressions rebuilt by pushing a modifier down; they may need re-association (see binary()). */
  private readonly pushed = new WeakSet<Expr>();

  constructor(
    private readonly query: string,
    private readonly original: string,
  ) {}

  text(n: SyntaxNode): string {
    return this.query.slice(n.from, n.to);
  }

  pos(n: SyntaxNode): PositionRange {
    return { start: n.from, end: n.to };
  }

  fail(pos: PositionRange, msg: string): never {
    throw new PromQLParseError(this.query, pos, msg);
  }

  children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  exprChildren(n: SyntaxNode): SyntaxNode[] {
    return this.children(n).filter((c) => EXPR_NODES.has(c.name));
  }

  child(n: SyntaxNode, name: string): SyntaxNode | null {
    return this.children(n).find((c) => c.name === name) ?? null;
  }

  expr(n: SyntaxNode): Expr {
    const pos = this.pos(n);
    switch (n.name) {
      case 'NumberDurationLiteral':
        return { type: 'NumberLiteral', value: this.number(n), pos };
      case 'StringLiteral':
        return { type: 'StringLiteral', value: this.string(n), pos };
      case 'ParenExpr':
        return { type: 'ParenExpr', expr: this.expr(this.exprChildren(n)[0]), pos };
      case 'UnaryExpr': {
        const op = this.text(this.child(n, 'UnaryOp') as SyntaxNode) as '-' | '+';
        const inner = this.expr(this.exprChildren(n)[0]);
        // Prometheus folds a sign into a number literal right away.
        if (inner.type === 'NumberLiteral') return { type: 'NumberLiteral', value: op === '-' ? -inner.value : inner.value, pos };
        return { type: 'UnaryExpr', op, expr: inner, pos };
      }
      case 'VectorSelector':
        return this.vectorSelector(n);
      case 'MatrixSelector': {
        const inner = this.expr(this.exprChildren(n)[0]);
        const range = this.duration(this.child(n, 'DurationExpr') as SyntaxNode);
        if (inner.type !== 'VectorSelector') {
          const what = inner.type === 'ParenExpr' ? 'ranges only allowed for vector selectors' : 'ranges only allowed for vector selectors';
          this.fail(pos, what);
        }
        if (inner.offset || inner.at) this.fail(pos, 'no offset or @ modifiers allowed before range');
        return { type: 'MatrixSelector', selector: inner, range, anchored: false, smoothed: false, pos };
      }
      case 'SubqueryExpr': {
        const inner = this.expr(this.exprChildren(n)[0]);
        const durs = this.children(n).filter((c) => c.name === 'DurationExpr');
        return {
          type: 'SubqueryExpr',
          expr: inner,
          range: this.duration(durs[0]),
          step: durs[1] ? this.duration(durs[1]) : null,
          offset: null,
          at: null,
          pos,
        };
      }
      case 'AnchoredExpr':
      case 'SmoothedExpr': {
        const inner = this.expr(this.exprChildren(n)[0]);
        const kw = n.name === 'AnchoredExpr' ? 'anchored' : 'smoothed';
        if (inner.type === 'VectorSelector' && kw === 'smoothed') return { ...inner, smoothed: true, pos };
        if (inner.type !== 'MatrixSelector') this.fail(pos, `${kw} modifier can only be used on range vector selectors`);
        if (inner.anchored || inner.smoothed) this.fail(pos, 'anchored and smoothed modifiers may not be combined');
        return { ...inner, anchored: kw === 'anchored', smoothed: kw === 'smoothed', pos };
      }
      case 'OffsetExpr': {
        const inner = this.expr(this.exprChildren(n)[0]);
        const offset = this.offsetDuration(this.child(n, 'OffsetDurationExpr') as SyntaxNode);
        return this.setModifier(inner, pos, { offset });
      }
      case 'StepInvariantExpr': {
        const inner = this.expr(this.exprChildren(n)[0]);
        const pre = this.child(n, 'AtModifierPreprocessors');
        let at: AtModifier;
        if (pre) at = { kind: this.text(pre).toLowerCase() === 'start' ? 'start' : 'end' };
        else {
          const lit = this.children(n).find((c) => c.name === 'NumberDurationLiteral') as SyntaxNode;
          const secs = this.number(lit);
          if (!Number.isFinite(secs)) this.fail(this.pos(lit), `timestamp out of bounds for @ modifier: ${secs}`);
          at = { kind: 'time', ms: Math.round(secs * 1000) };
        }
        return this.setModifier(inner, pos, { at });
      }
      case 'FunctionCall': {
        const id = this.child(n, 'FunctionIdentifier') as SyntaxNode;
        const body = this.child(n, 'FunctionCallBody') as SyntaxNode;
        const args = this.exprChildren(body).map((c) => this.expr(c));
        let func = this.original.slice(id.from, id.to);
        if (func.toLowerCase() === 'min_of' || func.toLowerCase() === 'max_of') func = func.toLowerCase();
        return { type: 'Call', func, args, pos };
      }
      case 'AggregateExpr':
        return this.aggregate(n);
      case 'BinaryExpr':
        return this.binary(n);
      default:
        return this.fail(pos, `unexpected ${n.name}`);
    }
  }

  setModifier(inner: Expr, pos: PositionRange, mod: { offset?: DurationNode; at?: AtModifier }): Expr {
    const apply = (target: { offset: DurationNode | null; at: AtModifier | null }) => {
      if (mod.offset) {
        if (target.offset) this.fail(pos, 'offset may not be set multiple times');
        target.offset = mod.offset;
      }
      if (mod.at) {
        if (target.at) this.fail(pos, '@ <timestamp> may not be set multiple times');
        target.at = mod.at;
      }
    };
    if (inner.type === 'VectorSelector' || inner.type === 'SubqueryExpr') {
      const copy = { ...inner };
      apply(copy);
      return { ...copy, pos: { start: inner.pos.start, end: pos.end } };
    }
    if (inner.type === 'MatrixSelector') {
      const sel = { ...inner.selector };
      apply(sel);
      return { ...inner, selector: sel, pos: { start: inner.pos.start, end: pos.end } };
    }
    // lezer's grammar lets `@`/`offset` bind looser than unary and binary operators (`-foo @ 1`, `a + b offset 1m`);
    // Prometheus binds them to the nearest operand, so push them down to it.
    if (inner.type === 'UnaryExpr') return { ...inner, expr: this.setModifier(inner.expr, pos, mod), pos: { start: inner.pos.start, end: pos.end } };
    if (inner.type === 'BinaryExpr') {
      const out: Expr = { ...inner, rhs: this.setModifier(inner.rhs, pos, mod), pos: { start: inner.pos.start, end: pos.end } };
      this.pushed.add(out);
      return out;
    }
    const what = mod.offset ? 'offset' : '@';
    return this.fail(pos, `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`);
  }

  number(n: SyntaxNode): number {
    try {
      return parseNumberLiteral(this.text(n).replace(/\s+/g, ''));
    } catch (e) {
      return this.fail(this.pos(n), (e as Error).message);
    }
  }

  string(n: SyntaxNode): string {
    try {
      return unquoteString(this.text(n));
    } catch (e) {
      return this.fail(this.pos(n), (e as Error).message);
    }
  }

  labelName(n: SyntaxNode): string {
    if (n.name === 'QuotedLabelName') return this.string(n.firstChild as SyntaxNode);
    return this.text(n);
  }

  vectorSelector(n: SyntaxNode): VectorSelector {
    const pos = this.pos(n);
    const ident = this.child(n, 'Identifier');
    let name = ident ? this.text(ident) : '';
    const matchers: LabelMatcherNode[] = [];
    const lm = this.child(n, 'LabelMatchers');
    if (lm) {
      for (const m of this.children(lm)) {
        if (m.name === 'QuotedLabelName') {
          const metric = this.labelName(m);
          if (name !== '') this.fail(this.pos(m), `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(metric)}`);
          name = metric;
          continue;
        }
        if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
        const parts = this.children(m);
        const labelNode = parts[0];
        const op = parts.find((p) => p.name === 'MatchOp') as SyntaxNode;
        const value = parts.find((p) => p.name === 'StringLiteral' && p !== labelNode) as SyntaxNode;
        if (!op || !value) this.fail(this.pos(m), 'unexpected label matcher');
        const type = MATCH_OPS[(op.firstChild as SyntaxNode).name];
        matchers.push({ name: this.labelName(labelNode), type, value: this.string(value) });
      }
    }
    if (ident) {
      if (matchers.some((m) => m.name === '__name__')) this.fail(pos, `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(matchers.find((m) => m.name === '__name__')?.value)}`);
    }
    if (name !== '') matchers.unshift({ name: '__name__', type: '=', value: name });
    return { type: 'VectorSelector', name, matchers, offset: null, at: null, pos };
  }

  grouping(n: SyntaxNode): string[] {
    return this.children(n)
      .filter((c) => c.name === 'LabelName' || c.name === 'QuotedLabelName')
      .map((c) => this.labelName(c));
  }

  aggregate(n: SyntaxNode): Expr {
    const pos = this.pos(n);
    const op = this.text(this.child(n, 'AggregateOp') as SyntaxNode).toLowerCase() as AggregateOp;
    const mod = this.child(n, 'AggregateModifier');
    const body = this.child(n, 'FunctionCallBody') as SyntaxNode;
    const args = this.exprChildren(body).map((c) => this.expr(c));
    const needsParam = ['topk', 'bottomk', 'quantile', 'count_values', 'limitk', 'limit_ratio'].includes(op);
    const want = needsParam ? 2 : 1;
    if (args.length !== want) this.fail(pos, `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`);
    let grouping: string[] = [];
    let without = false;
    if (mod) {
      without = this.children(mod).some((c) => c.name === 'Without');
      grouping = this.grouping(this.child(mod, 'GroupingLabels') as SyntaxNode);
    }
    return {
      type: 'AggregateExpr',
      op,
      expr: needsParam ? args[1] : args[0],
      param: needsParam ? args[0] : null,
      grouping,
      without,
      pos,
    };
  }

  binary(n: SyntaxNode): Expr {
    const pos = this.pos(n);
    const kids = this.children(n);
    const exprs = kids.filter((c) => EXPR_NODES.has(c.name));
    const opNode = kids.find((c) => BINARY_OPS[c.name] !== undefined) as SyntaxNode;
    const op = BINARY_OPS[opNode.name];
    const signed = exprs[0].name === 'NumberDurationLiteral' && /^[-+]/.test(this.text(exprs[0]));
    if (op === '^' && signed) {
      // lezer reads `-2 ^ 2` as (-2)^2; in PromQL the sign is a unary operator binding looser than ^: -(2^2).
      const sign = this.text(exprs[0])[0] as '-' | '+';
      const abs: Expr = { type: 'NumberLiteral', value: Math.abs(this.number(exprs[0])), pos: { start: exprs[0].from + 1, end: exprs[0].to } };
      const rest = this.binaryFrom(kids, op, abs, this.expr(exprs[1]), { start: exprs[0].from + 1, end: pos.end });
      return sign === '-' ? { type: 'UnaryExpr', op: '-', expr: rest, pos } : rest;
    }
    const lhs = this.expr(exprs[0]);
    return this.binaryFrom(kids, op, lhs, this.expr(exprs[1]), pos);
  }

  binaryFrom(kids: SyntaxNode[], op: BinaryOp, lhs: Expr, rhs: Expr, pos: PositionRange): Expr {
    const returnBool = kids.some((c) => c.name === 'BoolModifier');
    const clause = kids.find((c) => c.name === 'MatchingModifierClause');
    const fill = kids.find((c) => c.name === 'FillModifier');
    let matching: VectorMatching | null = null;
    if (clause || fill || ['and', 'or', 'unless'].includes(op)) {
      matching = { card: 'one-to-one', on: false, labels: [], include: [], explicit: false, fillLeft: null, fillRight: null };
      if (clause) {
        const ck = this.children(clause);
        matching.explicit = true;
        matching.on = ck.some((c) => c.name === 'On');
        const groups = ck.filter((c) => c.name === 'GroupingLabels');
        matching.labels = this.grouping(groups[0]);
        if (ck.some((c) => c.name === 'GroupLeft')) matching.card = 'many-to-one';
        if (ck.some((c) => c.name === 'GroupRight')) matching.card = 'one-to-many';
        if (groups[1]) matching.include = this.grouping(groups[1]);
      }
      if (fill) {
        for (const fc of this.children(fill)) {
          const lit = this.child(fc, 'NumberDurationLiteral') as SyntaxNode;
          const v = this.number(lit);
          if (fc.name === 'FillClause') matching.fillLeft = matching.fillRight = v;
          if (fc.name === 'FillLeftClause') matching.fillLeft = v;
          if (fc.name === 'FillRightClause') matching.fillRight = v;
        }
      }
      if (['and', 'or', 'unless'].includes(op)) {
        if (matching.card !== 'one-to-one') this.fail(pos, `no grouping allowed for "${op}" operation`);
        matching.card = 'many-to-many';
      }
    }
    return this.reassociate({ type: 'BinaryExpr', op, lhs, rhs, returnBool, matching, pos });
  }

  /** `(a + b@t) * c` produced by a modifier push-down really is `a + (b@t * c)`: rotate by operator precedence. */
  reassociate(e: Expr): Expr {
    if (e.type !== 'BinaryExpr' || e.lhs.type !== 'BinaryExpr' || !this.pushed.has(e.lhs)) return e;
    const l = e.lhs;
    const lower = BINARY_PRECEDENCE[l.op] < BINARY_PRECEDENCE[e.op] || (BINARY_PRECEDENCE[l.op] === BINARY_PRECEDENCE[e.op] && e.op === '^');
    if (!lower) return e;
    const inner = this.reassociate({ ...e, lhs: l.rhs, pos: { start: l.rhs.pos.start, end: e.pos.end } });
    const out: Expr = { ...l, rhs: inner, pos: { start: l.pos.start, end: e.pos.end } };
    this.pushed.add(out);
    return out;
  }

  duration(n: SyntaxNode): DurationNode {
    const kids = this.children(n);
    const op = kids.find((c) => BINARY_OPS[c.name] !== undefined && kids.length === 3);
    if (op) {
      const sub = kids.filter((c) => c !== op);
      return { kind: 'binary', op: BINARY_OPS[op.name] as '+', lhs: this.duration(sub[0]), rhs: this.duration(sub[1]) };
    }
    return this.durationPrimary(n, kids);
  }

  offsetDuration(n: SyntaxNode): DurationNode {
    return this.durationPrimary(n, this.children(n));
  }

  durationPrimary(n: SyntaxNode, kids: SyntaxNode[]): DurationNode {
    const first = kids[0];
    if (!first) return this.fail(this.pos(n), 'unexpected end of input in duration');
    switch (first.name) {
      case 'UnaryOp':
        return { kind: 'unary', op: this.text(first) as '-', expr: this.duration(kids[1]) };
      case 'DurationStep':
        return { kind: 'step' };
      case 'DurationRange':
        return { kind: 'range' };
      case 'DurationMinOf':
      case 'DurationMaxOf': {
        const args = kids.filter((c) => c.name === 'DurationExpr');
        return { kind: first.name === 'DurationMinOf' ? 'min_of' : 'max_of', lhs: this.duration(args[0]), rhs: this.duration(args[1]) };
      }
      case 'DurationExpr':
      case 'OffsetDurationExpr':
        return this.duration(first);
      case 'NumberDurationLiteralInDurationContext': {
        const secs = this.number(first);
        return { kind: 'literal', ms: Math.round(secs * 1000) };
      }
      default:
        if (this.text(first) === '(') return this.duration(kids[1]);
        return this.fail(this.pos(first), `unexpected ${this.text(first)} in duration`);
    }
  }
}

/** Offset of lezer's first error node, or -1 when the tree has none. */
function firstErrorAt(top: SyntaxNode): number {
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) return cursor.from;
  } while (cursor.next());
  return -1;
}

/** Renders lezer's error at `at` in `text` like Prometheus' parser would (positions in `query`, same offsets). */
function describeError(query: string, text: string, at: number, end = text.length): PromQLParseError {
  // Prometheus' lexer fails before its parser does when the bad token comes first (unbalanced parentheses, …).
  const lexErr = lexerError(text);
  if (lexErr && lexErr.tokenStart <= at) return new PromQLParseError(query, { start: lexErr.pos, end: query.length }, lexErr.msg);
  const rest = text.slice(at).trimStart();
  const start = text.length - rest.length;
  let msg: string;
  if (rest === '') msg = 'unexpected end of input';
  else {
    const tok = /^([A-Za-z_:][A-Za-z0-9_:]*|\d[\w.]*|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|==|!=|<=|>=|=~|!~|[^\sA-Za-z0-9_])/.exec(rest);
    msg = `unexpected ${tok ? describeToken(tok[0]) : JSON.stringify(rest[0])}`;
    const context = groupingContext(text, start);
    if (context && rest[0] !== ')') msg += context;
  }
  return new PromQLParseError(query, { start: rest === '' ? end : start, end: text.length }, msg);
}

/**
 * Lezer cuts a left-associative reduction that spans ≥ 2000 characters after ~300 repetitions (a guard against
 * trees too deep to walk), so long flat chains such as `a + b + …` fail part-way although Prometheus accepts them.
 * parseRegion() notices such a cut (an error right after a binary operator, deep into a long chain), parses the two
 * sides separately and joins them by operator precedence.
 */
const LEZER_CHAIN_CHARS = 2000;
const LEZER_CHAIN_OPERATORS = 50;
/** How many cuts one query may need (each covers ≥ 2000 characters). */
const MAX_CHAIN_SPLITS = 500;
/** Characters lezer may be asked to parse in total for one query (re-parses after cuts included): bounds the time. */
const MAX_PARSE_WORK = 2_000_000;

/** A binary operator (with `bool` and matching/fill modifiers) that ends `text`; index 0 of the match is its start. */
const LEADING_MODIFIERS = /^(?:bool\b\s*)?(?:(?:on|ignoring)\s*\([^()]*\)\s*)?(?:group_(?:left|right)\b\s*(?:\([^()]*\)\s*)?)?(?:fill(?:_left|_right)?\s*\([^()]*\)\s*)*/i;
const TRAILING_OPERATOR =
  /(?:(?:==|!=|<=|>=|[-+*/%^<>])|(?:^|(?<=[^\w:]))(?:and|or|unless|atan2))(?:\s+bool)?(?:\s*(?:on|ignoring)\s*\([^()]*\))?(?:\s*group_(?:left|right)(?:\s*\([^()]*\))?)?(?:\s*fill(?:_left|_right)?\s*\([^()]*\))*\s*$/i;

/** Binary-operator tokens before `end` in the innermost bracket group that contains `end` (strings skipped). */
function flatChainLength(query: string, end: number): number {
  const counts: number[] = [0];
  for (let i = 0; i < end; i++) {
    const c = query[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(query, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') counts.push(0);
    else if (c === ')' || c === ']' || c === '}') {
      if (counts.length > 1) counts.pop();
    } else if ('+-*/%^'.includes(c) || ((c === '=' || c === '!') && query[i + 1] === '=') || c === '<' || c === '>') {
      counts[counts.length - 1]++;
      if (query[i + 1] === '=') i++;
    } else if (/[a-z]/i.test(c) && (i === 0 || !/[\w:]/.test(query[i - 1]))) {
      const word = /^[A-Za-z_:][\w:]*/.exec(query.slice(i, i + 40))?.[0] ?? c;
      if (['and', 'or', 'unless', 'atan2'].includes(word.toLowerCase())) counts[counts.length - 1]++;
      i += word.length - 1;
    }
  }
  return counts[counts.length - 1];
}

/** Index of the closing quote of the string starting at `i` (or the end of the query). */
function skipString(query: string, i: number): number {
  const q = query[i];
  let j = i + 1;
  while (j < query.length && query[j] !== q) j += q !== '`' && query[j] === '\\' ? 2 : 1;
  return j;
}

/**
 * The innermost bracket group around `at` within [from, to): its inside, cut at commas of the same level (one
 * function argument), or [from, to) itself when `at` is not inside brackets there.
 */
function enclosingGroup(text: string, from: number, to: number, at: number): [number, number] {
  const opens: number[] = [];
  for (let i = from; i < at; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') i = skipString(text, i);
    else if (c === '(' || c === '[' || c === '{') opens.push(i);
    else if (c === ')' || c === ']' || c === '}') opens.pop();
  }
  if (opens.length === 0) return [from, to];
  let start = opens[opens.length - 1] + 1;
  let depth = 0;
  for (let i = start; i < at; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') i = skipString(text, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) start = i + 1;
  }
  for (let i = at; i < to; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') i = skipString(text, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return [start, i];
      depth--;
    } else if (c === ',' && depth === 0) return [start, i];
  }
  return [start, to];
}

/** Blanks everything outside [from, to) (newlines kept), so lezer's offsets stay those of the query. */
function maskOutside(text: string, from: number, to: number): string {
  const blank = (x: string) => x.replace(/[^\n]/g, ' ');
  return blank(text.slice(0, from)) + text.slice(from, to) + blank(text.slice(to));
}

/** Replaces the VectorSelector named `name` (a placeholder) in `e` by `by`. */
function substitutePlaceholder(e: Expr, name: string, by: Expr): Expr {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const rec = node as Record<string, unknown>;
    if (rec.type === 'VectorSelector' && rec.name === name) return by;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rec)) out[k] = k === 'pos' ? v : visit(v);
    return out;
  };
  return visit(e) as Expr;
}

/**
 * Parses [from, to) of `text` (offsets as in `query`). Where lezer cut a long chain, the chain is parsed in pieces and
 * re-joined; a long chain inside brackets is parsed on its own and stands in for a same-length placeholder name.
 */
function parseRegion(query: string, text: string, from: number, to: number, budget: { splits: number; names: number; work: number }): Expr {
  budget.work -= to - from;
  if (budget.work < 0) throw new PromQLParseError(query, { start: from, end: query.length }, 'expression too long: too many binary operators in chains without parentheses');
  const normalized = normalizeForLezer(maskOutside(text, from, to));
  const tree = parser.parse(normalized);
  const errAt = firstErrorAt(tree.topNode);
  if (errAt < 0) {
    const top = tree.topNode.firstChild;
    if (!top) throw new PromQLParseError(query, { start: from, end: from }, 'no expression found in input');
    return new Builder(normalized, query).expr(top);
  }
  const err = describeError(query, normalized, errAt, to);
  const at = err.pos.start;
  const [gs, ge] = enclosingGroup(text, from, to, at);
  const trailing = TRAILING_OPERATOR.exec(text.slice(gs, at));
  const isCut = at < ge && at - gs >= LEZER_CHAIN_CHARS && trailing !== null && flatChainLength(text.slice(0, ge), at) >= LEZER_CHAIN_OPERATORS;
  if (!isCut || err.detail.startsWith('unexpected right parenthesis') || err.detail.startsWith('unclosed')) throw err;
  if (--budget.splits < 0) throw new PromQLParseError(query, { start: at, end: query.length }, 'expression too long: too many binary operators in chains without parentheses');
  if (gs !== from || ge !== to) {
    const inner = parseRegion(query, text, gs, ge, budget);
    const name = `__chain${budget.names++}`.padEnd(ge - gs, '_');
    if (name.length !== ge - gs) throw err;
    const outer = parseRegion(query, text.slice(0, gs) + name + text.slice(ge), from, to, budget);
    return substitutePlaceholder(outer, name, inner);
  }
  const opStart = gs + trailing.index;
  // Lezer may also stop on the operator's modifiers (`+ on(a) group_left …`): they belong to the operator.
  const rightStart = at + (LEADING_MODIFIERS.exec(text.slice(at, to))?.[0].length ?? 0);
  const left = parseRegion(query, text, from, opStart, budget);
  const right = parseRegion(query, text, rightStart, to, budget);
  // The operator with its modifiers, read by parsing it between two stand-in operands.
  const opExpr = parseSyntax(`x ${text.slice(opStart, rightStart).trim()} y`);
  if (opExpr.type !== 'BinaryExpr') throw err;
  return joinChains(left, { op: opExpr.op, returnBool: opExpr.returnBool, matching: opExpr.matching }, right);
}

/**
 * The first error Prometheus' lexer raises, if any: `tokenStart` is where the offending token begins (the parser
 * sees the error when it asks for that token), `pos` where Prometheus reports it.
 */
function lexerError(query: string): { tokenStart: number; pos: number; msg: string } | null {
  let parens = 0;
  let braceOpen = false;
  let bracketOpen = false;
  const at = (i: number, msg: string, pos = i) => ({ tokenStart: i, pos, msg });
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '#' && !bracketOpen) {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < query.length && query[j] !== c && !(c !== '`' && query[j] === '\n')) j += c !== '`' && query[j] === '\\' ? 2 : 1;
      if (j >= query.length || query[j] !== c) return at(i, c === '`' ? 'unterminated raw string' : 'unterminated quoted string');
      i = j;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (braceOpen) {
      if (c === '}') braceOpen = false;
      else if (c === '{') return at(i, "unexpected left brace '{'");
      else if (/[A-Za-z_]/.test(c)) while (i + 1 < query.length && /\w/.test(query[i + 1])) i++;
      else if (c === '!' && query[i + 1] !== '=' && query[i + 1] !== '~') return at(i, `unexpected character after '!' inside braces: ${quoteRune(query[i + 1])}`);
      else if (!/[,=~!]/.test(c)) return at(i, `unexpected character inside braces: ${quoteRune(c)}`);
      continue;
    }
    if (/[A-Za-z_:]/.test(c) && !bracketOpen) {
      while (i + 1 < query.length && /[\w:]/.test(query[i + 1])) i++;
      continue;
    }
    if (/[\w.]/.test(c)) {
      while (i + 1 < query.length && /[\w.]/.test(query[i + 1])) i++;
      continue;
    }
    if (c === '{') braceOpen = true;
    else if (c === '(') parens++;
    else if (c === ')') {
      if (--parens < 0) return at(i, "unexpected right parenthesis ')'", i + 1);
    } else if (c === '[') {
      if (bracketOpen) return at(i, "unexpected left bracket '['");
      bracketOpen = true;
    } else if (c === ']') {
      if (!bracketOpen) return at(i, "unexpected right bracket ']'");
      bracketOpen = false;
    } else if (c === '!' && query[i + 1] !== '=' && !bracketOpen) return at(i, `unexpected character after '!': ${quoteRune(query[i + 1])}`);
    else if (c === '=' && query[i + 1] === '~' && !bracketOpen) return at(i, "unexpected character after '=': '~'");
    else if (!/[,*/%+\-^=!<>@]/.test(c) && !(bracketOpen && c === ':')) return at(i, `unexpected character${bracketOpen ? ' in duration expression' : ''}: ${quoteRune(c)}`);
  }
  if (braceOpen) return at(query.length, 'unexpected end of input inside braces');
  if (bracketOpen) return at(query.length, 'unexpected end of input in duration expression');
  if (parens > 0) return at(query.length, 'unclosed left parenthesis');
  return null;
}

/**
 * Prometheus' grammar context for an error inside a grouping list (`by (…)`, `without (…)`, `on (…)`, `ignoring (…)`,
 * `group_left (…)`, `group_right (…)`): after a label it expected `,` or `)`, after `(` or `,` a label.
 */
function groupingContext(text: string, at: number): string | null {
  let depth = 0;
  let open = -1;
  for (let i = at - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) {
        open = i;
        break;
      }
      depth--;
    } else if ((c === '"' || c === "'" || c === '`') && depth === 0) {
      // Labels may be quoted; anything else quoted means this is not a grouping list.
      continue;
    }
  }
  if (open < 0 || !/\b(?:by|without|on|ignoring|group_left|group_right)\s*$/i.test(text.slice(0, open))) return null;
  const inside = text.slice(open + 1, at);
  if (!/^(?:\s*(?:[A-Za-z_][\w]*|"[^"]*"|'[^']*')\s*,)*\s*(?:[A-Za-z_][\w]*|"[^"]*"|'[^']*')?\s*$/.test(inside)) return null;
  return /[\w"']\s*$/.test(inside) ? ' in grouping opts, expected "," or ")"' : ' in grouping opts, expected label';
}

/** Go's %q of a rune (`'x'`), or `EOF`'s rendering when there is none. */
function quoteRune(c: string | undefined): string {
  if (c === undefined) return "'\\uffff'";
  if (c === "'") return "'\\''";
  if (c === '\\') return "'\\\\'";
  if (c === '\n') return "'\\n'";
  return `'${c}'`;
}

const OPERATOR_TOKENS = new Set(['+', '-', '*', '/', '%', '^', '==', '!=', '<=', '<', '>=', '>', '=~', '!~', 'and', 'or', 'unless', 'atan2']);
const KEYWORD_TOKENS = new Set(['offset', 'smoothed', 'anchored', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'fill', 'fill_left', 'fill_right', 'bool']);
const AGGREGATOR_TOKENS = new Set(['sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'count_values', 'quantile', 'limitk', 'limit_ratio']);

/** Prometheus' item description (`Item.desc()`): `<op:+>`, `<by>`, `<aggr:sum>`, `identifier "x"`, `number "1"`, `")"`. */
function describeToken(tok: string): string {
  const lower = tok.toLowerCase();
  if (OPERATOR_TOKENS.has(lower)) return `<op:${lower}>`;
  if (KEYWORD_TOKENS.has(lower)) return `<${lower}>`;
  if (AGGREGATOR_TOKENS.has(lower)) return `<aggr:${lower}>`;
  if (['start', 'end', 'step', 'range'].includes(lower)) return JSON.stringify(lower);
  if (lower === 'inf' || lower === 'nan') return `number ${JSON.stringify(tok)}`;
  if (/^[A-Za-z_:]/.test(tok)) return `${tok.includes(':') ? 'metric identifier' : 'identifier'} ${JSON.stringify(tok)}`;
  if (/^\d+(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*$/.test(tok)) return `duration ${JSON.stringify(tok)}`;
  if (/^\d/.test(tok)) return `number ${JSON.stringify(tok)}`;
  if (tok[0] === '"' || tok[0] === "'") return `string ${JSON.stringify(tok)}`;
  return JSON.stringify(tok);
}

/** Maximum nesting depth accepted before building the AST; deeper input is refused rather than risking a stack overflow. */
export const MAX_QUERY_DEPTH = 300;

/** Parses PromQL text into our AST (syntax only; see type-check.ts for types). Throws PromQLParseError. */
export function parseSyntax(query: string): Expr {
  if (query.trim() === '') throw new PromQLParseError(query, { start: 0, end: 0 }, 'no expression found in input');
  let depth = 0;
  let maxDepth = 0;
  for (const c of query) {
    if (c === '(' || c === '[' || c === '{') maxDepth = Math.max(maxDepth, ++depth);
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  if (maxDepth > MAX_QUERY_DEPTH) throw new PromQLParseError(query, { start: 0, end: query.length }, `query nesting exceeds the maximum depth of ${MAX_QUERY_DEPTH}`);
  try {
    return parseRegion(query, query, 0, query.length, { splits: MAX_CHAIN_SPLITS, names: 0, work: Math.max(MAX_PARSE_WORK, query.length) });
  } catch (e) {
    if (e instanceof PromQLParseError) throw new PromQLParseError(query, e.pos, e.detail);
    // A syntax tree too deep to walk (huge operator chains): refuse the query instead of crashing.
    if (e instanceof RangeError) throw new PromQLParseError(query, { start: 0, end: query.length }, 'expression too complex to parse; split long operator chains with parentheses');
    throw e;
  }
}
