import type {
  ActionNode,
  ArgNode,
  CommandNode,
  ControlNode,
  EndOrElseNode,
  ListNode,
  LoopControlNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  VariableNode,
} from './ast';
import { nodeString } from './ast';
import { isPrint, quote } from './go-fmt';
import { Lexer, itemString, type Item, type ItemType } from './lexer';

/** A template that does not parse, or fails to execute; the message is Go's (`template: name:1: …`). */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export interface ParsedTree {
  /** Name of the top-level template (Go's ParseName: used in every location). */
  readonly name: string;
  readonly text: string;
  /** Every template by name: the top-level one and those from `{{define}}` / `{{block}}`. */
  readonly templates: ReadonlyMap<string, ListNode>;
}

/**
 * Parses like text/template/parse: same grammar, same scoping of variables (an undefined `$x` and an unknown
 * function are parse errors), same messages. `hasFunction` says which identifiers are functions.
 */
export function parse(name: string, text: string, hasFunction: (name: string) => boolean): ParsedTree {
  const p = new Parser(name, text, hasFunction);
  p.parse();
  return { name, text, templates: p.treeSet };
}

type Ended = [ListNode, Node | EndOrElseNode];

class Parser {
  readonly treeSet = new Map<string, ListNode>();
  private readonly lex: Lexer;
  private readonly token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;

  constructor(
    private readonly name: string,
    text: string,
    private readonly hasFunction: (name: string) => boolean,
  ) {
    this.lex = new Lexer(text, quote, isPrint);
  }

  // ---- token stream (three-token lookahead, as in Go) ----

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount];
  }
  private backup(): void {
    this.peekCount++;
  }
  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1];
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.type === 'space');
    return t;
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // ---- errors ----

  private errorf(message: string): never {
    throw new TemplateError(`template: ${this.name}:${this.token[0]?.line ?? 1}: ${message}`);
  }
  private expect(expected: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.type !== expected) this.unexpected(t, context);
    return t;
  }
  private unexpected(t: Item, context: string): never {
    if (t.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${t.val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(t, quote)} in ${context}`);
  }

  // ---- grammar ----

  parse(): void {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const delim = this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (isEndOrElse(n)) this.errorf(`unexpected ${nodeString(n)}`);
      else root.nodes.push(n);
    }
    this.add(this.name, root);
  }

  private add(name: string, root: ListNode): void {
    const existing = this.treeSet.get(name);
    if (existing === undefined || isEmptyTree(existing)) {
      this.treeSet.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${quote(name)}`);
  }

  /** `{{define "name"}} … {{end}}`; "define" is past. The body sees only `$`. */
  private parseDefinition(): void {
    const context = 'define clause';
    const nameItem = this.nextNonSpace();
    if (nameItem.type !== 'string' && nameItem.type !== 'rawString') this.unexpected(nameItem, context);
    const name = this.unquote(nameItem.val);
    this.expect('rightDelim', context);
    const [root, end] = this.inNewScope(() => this.itemList());
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add(name, root);
  }

  private inNewScope<T>(body: () => T): T {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    try {
      return body();
    } finally {
      this.vars = saved.vars;
      this.rangeDepth = saved.rangeDepth;
    }
  }

  private itemList(): Ended {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (isEndOrElse(n)) return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | EndOrElseNode {
    const t = this.nextNonSpace();
    if (t.type === 'text') return { type: 'text', pos: t.pos, text: t.val };
    if (t.type === 'leftDelim') {
      this.actionLine = t.line;
      try {
        return this.action();
      } finally {
        this.actionLine = 0;
      }
    }
    this.unexpected(t, 'input');
  }

  private action(): Node | EndOrElseNode {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue':
        return this.loopControl(t);
      case 'else':
        return this.elseControl();
      case 'end':
        return { type: 'end', pos: this.expect('rightDelim', 'end').pos, line: t.line };
      case 'if':
      case 'range':
      case 'with':
        return this.control(t.type);
      case 'template':
        return this.templateControl();
      default:
        break;
    }
    this.backup();
    const start = this.peek();
    const node: ActionNode = { type: 'action', pos: start.pos, line: start.line, pipe: this.pipeline('command', 'rightDelim') };
    return node;
  }

  private loopControl(t: Item): LoopControlNode {
    const kind = t.type as 'break' | 'continue';
    const after = this.nextNonSpace();
    if (after.type !== 'rightDelim') this.unexpected(after, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: t.pos, line: t.line };
  }

  private elseControl(): EndOrElseNode {
    const peek = this.peekNonSpace();
    if (peek.type === 'if' || peek.type === 'with') return { type: 'else', pos: peek.pos, line: peek.line };
    const t = this.expect('rightDelim', 'else');
    return { type: 'else', pos: t.pos, line: t.line };
  }

  private control(context: 'if' | 'range' | 'with'): ControlNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === 'else') {
        const chained = this.peek().type;
        if ((context === 'if' && chained === 'if') || (context === 'with' && chained === 'with')) {
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [this.control(context)] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const [root, end] = this.inNewScope(() => this.itemList());
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add(name, root);
    return { type: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private templateName(t: Item, context: string): string {
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    return this.unquote(t.val);
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: start.pos, line: start.line, isAssign: false, decl: [], cmds: [] };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      this.next();
      // "$x foo" needs three tokens of lookahead to tell an argument from a declaration.
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const after = this.peekNonSpace().type;
          if (after === 'variable' || after === 'rightDelim' || after === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.type === 'space') {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.type) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0].type)) {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type !== 'field') return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
      default:
        return { type: 'chain', pos, node, field: fields };
    }
  }

  private term(): ArgNode | undefined {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'error':
        this.errorf(t.val);
      case 'identifier':
        if (!this.hasFunction(t.val)) this.errorf(`function ${quote(t.val)} not defined`);
        return { type: 'identifier', pos: t.pos, ident: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable':
        return this.useVar(t.pos, t.val);
      case 'field':
        return { type: 'field', pos: t.pos, ident: t.val.slice(1).split('.') };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        return this.newNumber(t);
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { type: 'string', pos: t.pos, quoted: t.val, text: this.unquote(t.val) };
      default:
        this.backup();
        return undefined;
    }
  }

  private newVariable(pos: number, name: string): VariableNode {
    return { type: 'variable', pos, ident: name.split('.') };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.vars.includes(v.ident[0])) this.errorf(`undefined variable ${quote(v.ident[0])}`);
    return v;
  }

  private newNumber(t: Item): NumberNode {
    const base = { type: 'number' as const, pos: t.pos, text: t.val };
    if (t.type === 'charConstant') {
      const cp = unquoteChar(t.val);
      if (cp === undefined) this.errorf(`malformed character constant: ${t.val}`);
      return { ...base, isInt: true, isUint: true, isFloat: true, int: cp, float: cp };
    }
    if (t.type === 'complex' || t.val.endsWith('i')) this.errorf(`complex constants are not supported: ${t.val}`);
    const asInt = parseGoInt(t.val);
    if (asInt !== undefined) {
      const isInt = asInt >= -(2n ** 63n) && asInt < 2n ** 63n;
      const isUint = asInt >= 0n && asInt < 2n ** 64n;
      if (isInt || isUint) return { ...base, isInt, isUint, isFloat: true, int: Number(asInt), float: Number(asInt) };
    }
    const f = parseGoFloat(t.val);
    if (f === undefined) this.errorf(`illegal number syntax: ${quote(t.val)}`);
    if (!/[.eEpP]/.test(t.val)) this.errorf(`integer overflow: ${quote(t.val)}`);
    const isInt = Number.isInteger(f) && Math.abs(f) < 2 ** 63;
    return { ...base, isInt, isUint: isInt && f >= 0, isFloat: true, int: isInt ? f : 0, float: f };
  }

  private unquote(quoted: string): string {
    const s = unquoteString(quoted);
    if (s === undefined) this.errorf('invalid syntax');
    return s;
  }
}

function isEndOrElse(n: Node | EndOrElseNode): n is EndOrElseNode {
  return n.type === 'end' || n.type === 'else';
}

function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((n) => n.type === 'text' && n.text.trim() === '');
}

/** strconv.ParseInt/ParseUint with base 0: 0x, 0o, 0b prefixes, a leading 0 for octal, `_` between digits. */
function parseGoInt(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return undefined;
  let body = m[2];
  if (/__|_$/.test(body)) return undefined;
  let value: bigint;
  if (/^0[xXoObB]/.test(body)) value = BigInt(body.replace(/_/g, '').toLowerCase());
  else if (body.length > 1 && body[0] === '0') {
    body = body.slice(1).replace(/_/g, '');
    value = body === '' ? 0n : BigInt('0o' + body);
  } else {
    if (body.startsWith('_')) return undefined;
    value = BigInt(body.replace(/_/g, ''));
  }
  return m[1] === '-' ? -value : value;
}

/** strconv.ParseFloat for Go float literals: decimal with exponent, hexadecimal with `p` exponent, `_` separators. */
function parseGoFloat(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (/__/.test(text)) return undefined;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(t);
  if (hex && (hex[2] !== '' || hex[3] !== '')) {
    const mant = parseInt(hex[2] + hex[3] || '0', 16) / 16 ** hex[3].length;
    const v = mant * 2 ** Number(hex[4]);
    return hex[1] === '-' ? -v : v;
  }
  return undefined;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Decodes one escape at `s[i]` (just after the backslash); returns [text, next index] or undefined. */
function unescape(s: string, i: number, q: string): [string, number] | undefined {
  const c = s[i];
  if (c === undefined) return undefined;
  if (SIMPLE_ESCAPES[c] !== undefined) return [SIMPLE_ESCAPES[c], i + 1];
  if (c === q) return [c, i + 1];
  const hexLen = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (hexLen > 0) {
    const h = s.slice(i + 1, i + 1 + hexLen);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(h)) return undefined;
    const cp = parseInt(h, 16);
    if (c === 'x') return [String.fromCharCode(cp), i + 1 + hexLen];
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    return [String.fromCodePoint(cp), i + 1 + hexLen];
  }
  if (c >= '0' && c <= '7') {
    const o = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) return undefined;
    return [String.fromCharCode(parseInt(o, 8)), i + 3];
  }
  return undefined;
}

/** strconv.Unquote for "…" and `…` literals. */
export function unquoteString(quoted: string): string | undefined {
  if (quoted.length < 2) return undefined;
  const q = quoted[0];
  if (quoted[quoted.length - 1] !== q) return undefined;
  const body = quoted.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body.replace(/\r/g, '');
  if (q !== '"') return undefined;
  let out = '';
  for (let i = 0; i < body.length; ) {
    const c = body[i];
    if (c === '"' || c === '\n') return undefined;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const esc = unescape(body, i + 1, '"');
    if (!esc) return undefined;
    out += esc[0];
    i = esc[1];
  }
  return out;
}

/** The code point of a character constant such as 'a' or '\n'. */
function unquoteChar(quoted: string): number | undefined {
  const body = quoted.slice(1, -1);
  if (!quoted.endsWith("'") || body === '') return undefined;
  if (body[0] !== '\\') {
    const cp = body.codePointAt(0) ?? 0;
    return String.fromCodePoint(cp).length === body.length ? cp : undefined;
  }
  const esc = unescape(body, 1, "'");
  if (!esc || esc[1] !== body.length) return undefined;
  return esc[0].codePointAt(0);
}
