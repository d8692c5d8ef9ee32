/**
 * The lexer of Go's text/template (text/template/parse/lex.go, Go ≥ 1.18 behaviour): text and `{{ }}` actions,
 * trim markers `{{- ` and ` -}}`, `{{/* comments *\/}}`, newlines inside actions, and the same item kinds and error
 * texts. It runs lazily, one item at a time, so that a parse error earlier in the text wins over a lexical error
 * later in it, as in Go.
 */

export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

const KEYWORDS: Readonly<Record<string, ItemType>> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};
const KEYWORD_TYPES = new Set(Object.values(KEYWORDS));

export interface Item {
  readonly type: ItemType;
  /** Offset in the input (UTF-16 units). */
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

/** Go's item.String(), used in "unexpected … in …" errors. */
export function itemString(i: Item, quote: (s: string) => string): string {
  if (i.type === 'eof') return 'EOF';
  if (i.type === 'error') return i.val;
  if (KEYWORD_TYPES.has(i.type)) return `<${i.val}>`;
  if ([...i.val].length > 10) return quote([...i.val].slice(0, 10).join('')) + '...';
  return quote(i.val);
}

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && (c === '_' || /^[\p{L}\p{Nd}]$/u.test(c));
const hasLeftTrim = (s: string): boolean => s.length >= 2 && s[0] === '-' && isSpace(s[1]);
const hasRightTrim = (s: string): boolean => s.length >= 2 && isSpace(s[0]) && s[1] === '-';

/** `%#U` of a rune: "U+00A0" or "U+0029 ')'" when printable. */
export function formatRune(c: string, isPrint: (cp: number) => boolean): string {
  const cp = c.codePointAt(0) ?? 0;
  const u = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return isPrint(cp) ? `${u} '${c}'` : u;
}

type State = 'text' | 'leftDelim' | 'insideAction' | 'done';

export class Lexer {
  private pos = 0;
  private start = 0;
  private line = 1;
  private startLine = 1;
  private parenDepth = 0;
  private state: State = 'text';
  private readonly queue: Item[] = [];

  constructor(
    private readonly input: string,
    private readonly quote: (s: string) => string,
    private readonly isPrint: (cp: number) => boolean,
  ) {}

  nextItem(): Item {
    while (this.queue.length === 0) {
      if (this.state === 'done') return { type: 'eof', pos: this.pos, val: '', line: this.line };
      this.step();
    }
    return this.queue.shift() as Item;
  }

  private step(): void {
    switch (this.state) {
      case 'text':
        return this.lexText();
      case 'leftDelim':
        return this.lexLeftDelim();
      case 'insideAction':
        return this.lexInsideAction();
      default:
        return;
    }
  }

  private emit(type: ItemType): void {
    this.queue.push({ type, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine });
    this.advanceStart();
  }

  private advanceStart(): void {
    this.start = this.pos;
    this.startLine = this.line;
  }

  private errorf(message: string): void {
    this.queue.push({ type: 'error', pos: this.start, val: message, line: this.startLine });
    this.state = 'done';
  }

  private next(): string | undefined {
    if (this.pos >= this.input.length) return undefined;
    const cp = this.input.codePointAt(this.pos) ?? 0;
    const c = String.fromCodePoint(cp);
    this.pos += c.length;
    if (c === '\n') this.line++;
    return c;
  }

  private peek(): string | undefined {
    if (this.pos >= this.input.length) return undefined;
    return String.fromCodePoint(this.input.codePointAt(this.pos) ?? 0);
  }

  private backup(c: string | undefined): void {
    if (c === undefined) return;
    this.pos -= c.length;
    if (c === '\n') this.line--;
  }

  private skipTo(pos: number): void {
    for (let i = this.pos; i < pos; i++) if (this.input[i] === '\n') this.line++;
    this.pos = pos;
  }

  private lexText(): void {
    const at = this.input.indexOf(LEFT, this.pos);
    if (at < 0) {
      this.skipTo(this.input.length);
      if (this.pos > this.start) this.emit('text');
      this.emit('eof');
      this.state = 'done';
      return;
    }
    const afterDelim = at + LEFT.length;
    let trimLength = 0;
    if (hasLeftTrim(this.input.slice(afterDelim, afterDelim + 2))) {
      const text = this.input.slice(this.start, at);
      trimLength = text.length - text.replace(/[ \t\r\n]+$/, '').length;
    }
    this.skipTo(at);
    const textEnd = at - trimLength;
    if (textEnd > this.start) {
      const val = this.input.slice(this.start, textEnd);
      this.queue.push({ type: 'text', pos: this.start, val, line: this.startLine });
    }
    this.advanceStart();
    this.state = 'leftDelim';
  }

  private lexLeftDelim(): void {
    this.skipTo(this.pos + LEFT.length);
    const trim = hasLeftTrim(this.input.slice(this.pos, this.pos + 2));
    const afterMarker = trim ? 2 : 0;
    if (this.input.startsWith(LEFT_COMMENT, this.pos + afterMarker)) {
      this.skipTo(this.pos + afterMarker);
      this.advanceStart();
      return this.lexComment();
    }
    this.emit('leftDelim');
    this.skipTo(this.pos + afterMarker);
    this.advanceStart();
    this.parenDepth = 0;
    this.state = 'insideAction';
  }

  private lexComment(): void {
    this.skipTo(this.pos + LEFT_COMMENT.length);
    const end = this.input.indexOf(RIGHT_COMMENT, this.pos);
    if (end < 0) return this.errorf('unclosed comment');
    this.skipTo(end + RIGHT_COMMENT.length);
    const [delim, trim] = this.atRightDelim();
    if (!delim) return this.errorf('comment ends before closing delimiter');
    this.skipTo(this.pos + (trim ? 2 : 0) + RIGHT.length);
    if (trim) this.skipLeadingSpace();
    this.advanceStart();
    this.state = 'text';
  }

  private atRightDelim(): [boolean, boolean] {
    const rest = this.input.slice(this.pos, this.pos + 4);
    if (hasRightTrim(rest) && rest.slice(2).startsWith(RIGHT)) return [true, true];
    if (rest.startsWith(RIGHT)) return [true, false];
    return [false, false];
  }

  private skipLeadingSpace(): void {
    let p = this.pos;
    while (p < this.input.length && isSpace(this.input[p])) p++;
    this.skipTo(p);
  }

  private lexRightDelim(trim: boolean): void {
    if (trim) {
      this.skipTo(this.pos + 2);
      this.advanceStart();
    }
    this.skipTo(this.pos + RIGHT.length);
    this.emit('rightDelim');
    if (trim) {
      this.skipLeadingSpace();
      this.advanceStart();
    }
    this.state = 'text';
  }

  private lexInsideAction(): void {
    const [delim, trim] = this.atRightDelim();
    if (delim) {
      if (this.parenDepth === 0) return this.lexRightDelim(trim);
      return this.errorf('unclosed left paren');
    }
    const r = this.next();
    if (r === undefined) return this.errorf('unclosed action');
    if (isSpace(r)) {
      this.backup(r);
      return this.lexSpace();
    }
    switch (r) {
      case '=':
        return this.emit('assign');
      case ':':
        if (this.next() !== '=') return this.errorf('expected :=');
        return this.emit('declare');
      case '|':
        return this.emit('pipe');
      case '"':
        return this.lexQuote();
      case '`':
        return this.lexRawQuote();
      case '$':
        return this.lexVariable();
      case "'":
        return this.lexChar();
      case '(':
        this.emit('leftParen');
        this.parenDepth++;
        return;
      case ')':
        this.emit('rightParen');
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf(`unexpected right paren ${formatRune(r, this.isPrint)}`);
        return;
    }
    if (r === '.') {
      const n = this.input[this.pos];
      if (n !== undefined && (n < '0' || n > '9')) return this.lexFieldOrVariable('field');
    }
    if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
      this.backup(r);
      return this.lexNumber();
    }
    if (isAlphaNumeric(r)) {
      this.backup(r);
      return this.lexIdentifier();
    }
    const cp = r.codePointAt(0) ?? 0;
    if (cp <= 0x7f && this.isPrint(cp)) return this.emit('char');
    return this.errorf(`unrecognized character in action: ${formatRune(r, this.isPrint)}`);
  }

  private lexSpace(): void {
    let numSpaces = 0;
    while (isSpace(this.peek())) {
      this.next();
      numSpaces++;
    }
    // A trim-marked right delimiter (" -}}") begins with a space: leave that space to the delimiter.
    if (hasRightTrim(this.input.slice(this.pos - 1, this.pos + 1)) && this.input.startsWith(RIGHT, this.pos + 1)) {
      this.backup(this.input[this.pos - 1]);
      if (numSpaces === 1) return; // nothing but the marker's own space: lexInsideAction finds the delimiter
    }
    this.emit('space');
  }

  private lexIdentifier(): void {
    for (;;) {
      const r = this.next();
      if (isAlphaNumeric(r)) continue;
      this.backup(r);
      const word = this.input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.errorf(`bad character ${formatRune(r ?? '', this.isPrint)}`);
      const kw = KEYWORDS[word];
      if (kw && kw !== 'dot') return this.emit(kw);
      if (word === 'true' || word === 'false') return this.emit('bool');
      return this.emit('identifier');
    }
  }

  private lexVariable(): void {
    if (this.atTerminator()) return this.emit('variable');
    return this.lexFieldOrVariable('variable');
  }

  private lexFieldOrVariable(type: 'field' | 'variable'): void {
    if (this.atTerminator()) return this.emit(type === 'variable' ? 'variable' : 'dot');
    let r: string | undefined;
    for (;;) {
      r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup(r);
        break;
      }
    }
    if (!this.atTerminator()) return this.errorf(`bad character ${formatRune(r ?? '', this.isPrint)}`);
    return this.emit(type);
  }

  private atTerminator(): boolean {
    const r = this.peek();
    if (r === undefined || isSpace(r)) return true;
    if ('.,|:)('.includes(r)) return true;
    return this.input.startsWith(RIGHT, this.pos);
  }

  private lexChar(): void {
    for (;;) {
      const c = this.next();
      if (c === '\\') {
        const n = this.next();
        if (n !== undefined && n !== '\n') continue;
        return this.errorf('unterminated character constant');
      }
      if (c === undefined || c === '\n') return this.errorf('unterminated character constant');
      if (c === "'") break;
    }
    this.emit('charConstant');
  }

  private lexNumber(): void {
    if (!this.scanNumber()) return this.errorf(`bad number syntax: ${this.quote(this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === '+' || sign === '-') {
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') {
        return this.errorf(`bad number syntax: ${this.quote(this.input.slice(this.start, this.pos))}`);
      }
      return this.emit('complex');
    }
    return this.emit('number');
  }

  private accept(valid: string): boolean {
    const c = this.next();
    if (c !== undefined && valid.includes(c)) return true;
    this.backup(c);
    return false;
  }

  private acceptRun(valid: string): void {
    for (;;) {
      const c = this.next();
      if (c === undefined || !valid.includes(c)) {
        this.backup(c);
        return;
      }
    }
  }

  private scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  private lexQuote(): void {
    for (;;) {
      const c = this.next();
      if (c === '\\') {
        const n = this.next();
        if (n !== undefined && n !== '\n') continue;
        return this.errorf('unterminated quoted string');
      }
      if (c === undefined || c === '\n') return this.errorf('unterminated quoted string');
      if (c === '"') break;
    }
    this.emit('string');
  }

  private lexRawQuote(): void {
    for (;;) {
      const c = this.next();
      if (c === undefined) return this.errorf('unterminated raw quoted string');
      if (c === '`') break;
    }
    this.emit('rawString');
  }
}
