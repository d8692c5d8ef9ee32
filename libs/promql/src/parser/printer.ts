import type { AtModifier, DurationNode, Expr, LabelMatcherNode, VectorMatching } from './ast';

/** Prometheus' model.Duration text (`1h30m`, `0s`); negative durations get a leading `-`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const units: [string, number][] = [
    ['y', 365 * 86400000],
    ['w', 7 * 86400000],
    ['d', 86400000],
    ['h', 3600000],
    ['m', 60000],
    ['s', 1000],
    ['ms', 1],
  ];
  let out = '';
  let rest = ms;
  for (const [u, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${u}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Go's %q for PromQL text: invalid bytes (kept as lone surrogates U+DC80–U+DCFF by the parser) print as \xNN. */
export function quoteGoString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xdc80 && c <= 0xdcff) out += `\\x${(c - 0xdc00).toString(16).padStart(2, '0')}`;
    else out += JSON.stringify(ch).slice(1, -1);
  }
  return `"${out}"`;
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function formatDurationNode(d: DurationNode): string {
  switch (d.kind) {
    case 'literal':
      return formatDuration(d.ms);
    case 'step':
      return 'step()';
    case 'range':
      return 'range()';
    case 'unary':
      return `${d.op}${formatDurationNode(d.expr)}`;
    case 'min_of':
    case 'max_of':
      return `${d.kind}(${formatDurationNode(d.lhs)}, ${formatDurationNode(d.rhs)})`;
    case 'binary':
      return `(${formatDurationNode(d.lhs)} ${d.op} ${formatDurationNode(d.rhs)})`;
  }
}

function formatLabelName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}

function formatMatchers(name: string, matchers: LabelMatcherNode[]): string {
  const rest = matchers.filter((m) => !(m.name === '__name__' && m.type === '=' && m.value === name && name !== ''));
  const metric = /^[A-Za-z_:][A-Za-z0-9_:]*$/.test(name) || name === '' ? name : '';
  const items = rest.map((m) => `${formatLabelName(m.name)}${m.type}${quoteGoString(m.value)}`);
  if (metric === '' && name !== '') items.unshift(JSON.stringify(name));
  return items.length ? `${metric}{${items.join(', ')}}` : metric;
}

function formatModifiers(at: AtModifier | null, offset: DurationNode | null): string {
  let out = '';
  if (at) out += at.kind === 'time' ? ` @ ${(at.ms / 1000).toFixed(3)}` : ` @ ${at.kind}()`;
  if (offset) out += ` offset ${formatDurationNode(offset)}`;
  return out;
}

function formatMatching(m: VectorMatching | null): string {
  if (!m) return '';
  let out = '';
  if (m.explicit && (m.on || m.labels.length || m.card !== 'many-to-many')) {
    if (m.on || m.labels.length) out += ` ${m.on ? 'on' : 'ignoring'}(${m.labels.map(formatLabelName).join(', ')})`;
    if (m.card === 'many-to-one' || m.card === 'one-to-many') out += ` ${m.card === 'many-to-one' ? 'group_left' : 'group_right'}(${m.include.map(formatLabelName).join(', ')})`;
  }
  if (m.fillLeft !== null && m.fillLeft === m.fillRight) out += ` fill(${formatNumber(m.fillLeft)})`;
  else {
    if (m.fillLeft !== null) out += ` fill_left(${formatNumber(m.fillLeft)})`;
    if (m.fillRight !== null) out += ` fill_right(${formatNumber(m.fillRight)})`;
  }
  return out;
}

/** Renders an AST back to PromQL text (like Prometheus' Expr.String()); parsing the output gives the same AST. */
export function printExpr(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      return formatNumber(e.value);
    case 'StringLiteral':
      return quoteGoString(e.value);
    case 'ParenExpr':
      return `(${printExpr(e.expr)})`;
    case 'UnaryExpr':
      return `${e.op}${printExpr(e.expr)}`;
    case 'VectorSelector':
      return formatMatchers(e.name, e.matchers) + formatModifiers(e.at, e.offset) + (e.smoothed ? ' smoothed' : '');
    case 'MatrixSelector': {
      const sel = formatMatchers(e.selector.name, e.selector.matchers);
      const mod = e.anchored ? ' anchored' : e.smoothed ? ' smoothed' : '';
      return `${sel}[${formatDurationNode(e.range)}]${mod}${formatModifiers(e.selector.at, e.selector.offset)}`;
    }
    case 'SubqueryExpr':
      return `${printExpr(e.expr)}[${formatDurationNode(e.range)}:${e.step ? formatDurationNode(e.step) : ''}]${formatModifiers(e.at, e.offset)}`;
    case 'Call':
      return `${e.func}(${e.args.map(printExpr).join(', ')})`;
    case 'AggregateExpr': {
      // As Prometheus' getAggOpStr: `sum(x)`, `sum by (a) (x)`, `sum without () (x)`.
      const grouping = e.without || e.grouping.length ? ` ${e.without ? 'without' : 'by'} (${e.grouping.map(formatLabelName).join(', ')}) ` : '';
      const args = e.param ? `${printExpr(e.param)}, ${printExpr(e.expr)}` : printExpr(e.expr);
      return `${e.op}${grouping}(${args})`;
    }
    case 'BinaryExpr':
      return `${printExpr(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${formatMatching(e.matching)} ${printExpr(e.rhs)}`;
  }
}
