import type { AnyNode, ArgNode, ChainNode, CommandNode, ControlNode, FieldNode, IdentifierNode, ListNode, Node, NumberNode, PipeNode, TemplateNode, VariableNode } from './ast';
import { nodeString } from './ast';
import { formatV, quote } from './go-fmt';
import {
  GoInt,
  GoMap,
  GoNil,
  GoSlice,
  GoStruct,
  NIL_INTERFACE,
  assignable,
  canBeNil,
  isTrue,
  paramTypeName,
  typeName,
  utf8Length,
  type GoFunc,
  type GoValue,
  type ParamType,
} from './go-values';
import { TemplateError, type ParsedTree } from './parser';

/**
 * An asynchronous interpreter of text/template (text/template/exec.go): the same walk, the same evaluation order
 * and the same bookkeeping of "the node being evaluated", so that errors read exactly like Go's
 * (`template: name:1:3: executing "name" at <humanize "one">: error calling humanize: …`). Every function call is
 * awaited, which lets `query` run PromQL asynchronously without changing what a template means.
 */

/** A function of the template's function map; `and`/`or` evaluate their arguments lazily, as Go's builtins do. */
export interface TemplateFunc extends GoFunc {
  readonly shortCircuit?: 'and' | 'or';
}

export interface ExecOptions {
  readonly funcs: ReadonlyMap<string, TemplateFunc>;
  /** Nesting limit of `{{template}}` calls (Go: 100000; we stop earlier to keep the JS stack safe). */
  readonly maxDepth?: number;
}

const MISSING = Symbol('missing');
type Final = GoValue | typeof MISSING;

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

interface Variable {
  readonly name: string;
  value: GoValue;
}

/** Methods callable on values, as `.Method args`. */
export type MethodTable = (receiver: GoValue) => Readonly<Record<string, GoFunc>> | undefined;

class State {
  node: AnyNode | undefined;
  constructor(
    readonly tree: ParsedTree,
    readonly tmplName: string,
    readonly out: string[],
    readonly opts: ExecOptions,
    readonly methods: MethodTable,
    public vars: Variable[],
    readonly depth: number,
  ) {}

  at(node: AnyNode): void {
    this.node = node;
  }

  errorf(message: string): never {
    if (this.node === undefined) throw new TemplateError(`template: ${this.tmplName}: ${message}`);
    const text = this.tree.text.slice(0, this.node.pos);
    const nl = text.lastIndexOf('\n');
    const col = utf8Length(nl < 0 ? text : text.slice(nl + 1));
    const line = 1 + (text.match(/\n/g)?.length ?? 0);
    throw new TemplateError(
      `template: ${this.tree.name}:${line}:${col}: executing ${quote(this.tmplName)} at <${nodeString(this.node)}>: ${message}`,
    );
  }

  mark(): number {
    return this.vars.length;
  }
  pop(mark: number): void {
    this.vars.length = mark;
  }
  push(name: string, value: GoValue): void {
    this.vars.push({ name, value });
  }
  setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  setTopVar(n: number, value: GoValue): void {
    this.vars[this.vars.length - n].value = value;
  }
  varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    return this.errorf(`undefined variable: ${name}`);
  }

  // ---- walking ----

  async walk(dot: GoValue, node: Node): Promise<void> {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = await this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(node, dot);
      case 'list':
        for (const n of node.nodes) await this.walk(dot, n);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.out.push(node.text);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  private async walkIfOrWith(node: ControlNode, dot: GoValue): Promise<void> {
    const mark = this.mark();
    try {
      const val = await this.evalPipeline(dot, node.pipe);
      if (isTrue(val)) await this.walk(node.type === 'with' ? val : dot, node.list);
      else if (node.elseList) await this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private async walkRange(dot: GoValue, r: ControlNode): Promise<void> {
    this.at(r);
    const outer = this.mark();
    try {
      const val = await this.evalPipeline(dot, r.pipe);
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = async (index: GoValue, elem: GoValue): Promise<void> => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
          else this.setTopVar(2, index);
        }
        try {
          await this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      const items = this.rangeItems(val, decl.length);
      if (items.length > 0) {
        try {
          for (const [index, elem] of items) await oneIteration(index, elem);
        } catch (e) {
          if (e !== BREAK) throw e;
        }
        return;
      }
      if (r.elseList) await this.walk(dot, r.elseList);
    } finally {
      this.pop(outer);
    }
  }

  private rangeItems(val: GoValue, declCount: number): [GoValue, GoValue][] {
    if (val === undefined || val instanceof GoNil) return [];
    if (val instanceof GoSlice) return val.items.map((item, i) => [new GoInt(i), item]);
    if (val instanceof GoMap) {
      return [...val.entries.keys()].sort(compareStrings).map((k) => [k, val.entries.get(k)]);
    }
    if (val instanceof GoInt) {
      if (declCount > 1) this.errorf(`can't use ${formatV(val)} to iterate over more than one variable`);
      return Array.from({ length: Math.max(val.value, 0) }, (_, i) => [undefined, new GoInt(i)]);
    }
    return this.errorf(`range can't iterate over ${formatV(val)}`);
  }

  private async walkTemplate(dot: GoValue, t: TemplateNode): Promise<void> {
    this.at(t);
    const tmpl = this.tree.templates.get(t.name);
    if (tmpl === undefined) this.errorf(`template ${quote(t.name)} not defined`);
    const max = this.opts.maxDepth ?? 1000;
    if (this.depth >= max) this.errorf(`exceeded maximum template depth (${max})`);
    const newDot = await this.evalPipeline(dot, t.pipe);
    const state = new State(this.tree, t.name, this.out, this.opts, this.methods, [{ name: '$', value: newDot }], this.depth + 1);
    await state.walk(newDot, tmpl as ListNode);
  }

  private printValue(n: AnyNode, v: GoValue): void {
    this.at(n);
    this.out.push(v === undefined ? '<no value>' : formatV(v));
  }

  // ---- evaluation ----

  async evalPipeline(dot: GoValue, pipe: PipeNode | undefined): Promise<GoValue> {
    if (pipe === undefined) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = await this.evalCommand(dot, cmd, value);
    const result = value === MISSING ? undefined : value;
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0], result);
      else this.push(variable.ident[0], result);
    }
    return result;
  }

  private notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  private async evalCommand(dot: GoValue, cmd: CommandNode, final: Final): Promise<GoValue> {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
      default:
        break;
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private idealConstant(n: NumberNode): GoValue {
    this.at(n);
    const isHexInt = n.text.length > 2 && n.text[0] === '0' && /[xX]/.test(n.text[1]) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && n.text[0] !== "'" && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return new GoInt(n.int);
    return this.errorf(`${n.text} overflows int`);
  }

  private async evalFieldNode(dot: GoValue, field: FieldNode, args: readonly ArgNode[] | undefined, final: Final): Promise<GoValue> {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private async evalChainNode(dot: GoValue, chain: ChainNode, args: readonly ArgNode[] | undefined, final: Final): Promise<GoValue> {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = await this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private async evalVariableNode(dot: GoValue, v: VariableNode, args: readonly ArgNode[] | undefined, final: Final): Promise<GoValue> {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args ?? [v], final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private async evalFieldChain(
    dot: GoValue,
    receiver: GoValue,
    node: AnyNode,
    ident: readonly string[],
    args: readonly ArgNode[] | undefined,
    final: Final,
  ): Promise<GoValue> {
    let r = receiver;
    for (let i = 0; i < ident.length - 1; i++) r = await this.evalField(dot, ident[i], node, undefined, MISSING, r);
    return this.evalField(dot, ident[ident.length - 1], node, args, final, r);
  }

  private async evalField(
    dot: GoValue,
    fieldName: string,
    node: AnyNode,
    args: readonly ArgNode[] | undefined,
    final: Final,
    receiver: GoValue,
  ): Promise<GoValue> {
    if (receiver === undefined) return undefined;
    const typ = typeName(receiver);
    if (receiver instanceof GoNil) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const method = this.methods(receiver)?.[fieldName];
    if (method) return this.evalCall(dot, method, node, fieldName, args, final);
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct && receiver.fields.has(fieldName)) {
      if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
      return receiver.fields.get(fieldName);
    }
    if (receiver instanceof GoMap) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      return receiver.entries.has(fieldName) ? receiver.entries.get(fieldName) : receiver.zero;
    }
    return this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private async evalFunction(dot: GoValue, node: IdentifierNode, cmd: AnyNode, args: readonly ArgNode[] | undefined, final: Final): Promise<GoValue> {
    this.at(node);
    const fn = this.opts.funcs.get(node.ident);
    if (fn === undefined) this.errorf(`${quote(node.ident)} is not a defined function`);
    return this.evalCall(dot, fn as TemplateFunc, cmd, node.ident, args, final);
  }

  private async evalCall(
    dot: GoValue,
    fn: TemplateFunc,
    node: AnyNode,
    name: string,
    argNodes: readonly ArgNode[] | undefined,
    final: Final,
  ): Promise<GoValue> {
    const args = argNodes ? argNodes.slice(1) : [];
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = fn.params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    if (fn.shortCircuit) {
      let v: GoValue;
      for (const arg of args) {
        v = await this.evalArg(dot, fn.params[0], arg);
        if (isTrue(v) === (fn.shortCircuit === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, fn.params[0]);
      return v;
    }
    const argv: GoValue[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(await this.evalArg(dot, fn.params[i], args[i]));
    if (fn.variadic) for (; i < args.length; i++) argv.push(await this.evalArg(dot, fn.variadic, args[i]));
    if (final !== MISSING) {
      let t: ParamType;
      if (fn.variadic) t = numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.variadic;
      else t = fn.params[fn.params.length - 1];
      argv.push(this.validateType(final, t));
    }
    try {
      return await fn.call(argv);
    } catch (e) {
      this.at(node);
      return this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private validateType(value: GoValue, t: ParamType | undefined): GoValue {
    if (t === undefined) return value;
    if (value === undefined || value instanceof GoNil) {
      if (t.kind === 'value') return value;
      if (t.kind === 'any') return value ?? NIL_INTERFACE;
      if (canBeNil(t)) return new GoNil(paramTypeName(t));
      if (value === undefined) this.errorf(`invalid value; expected ${paramTypeName(t)}`);
    }
    if (!assignable(value, t)) this.errorf(`wrong type for value; expected ${paramTypeName(t)}; got ${typeName(value)}`);
    return value;
  }

  private async evalArg(dot: GoValue, t: ParamType | undefined, n: ArgNode): Promise<GoValue> {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, t);
      case 'nil':
        if (t !== undefined && canBeNil(t)) return t.kind === 'value' ? undefined : t.kind === 'any' ? NIL_INTERFACE : new GoNil(paramTypeName(t));
        return this.errorf(`cannot assign nil to ${t ? paramTypeName(t) : '<nil>'}`);
      case 'field':
        return this.validateType(await this.evalFieldNode(dot, n, [n], MISSING), t);
      case 'variable':
        return this.validateType(await this.evalVariableNode(dot, n, undefined, MISSING), t);
      case 'pipe':
        return this.validateType(await this.evalPipeline(dot, n), t);
      case 'identifier':
        return this.validateType(await this.evalFunction(dot, n, n, undefined, MISSING), t);
      case 'chain':
        return this.validateType(await this.evalChainNode(dot, n, undefined, MISSING), t);
      default:
        break;
    }
    switch (t?.kind) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'float64':
        if (n.type === 'number' && n.isFloat) return n.float;
        return this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return new GoInt(n.int);
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case 'any':
      case 'value':
        if (n.type === 'bool') return n.value;
        if (n.type === 'number') return this.idealConstant(n);
        return n.text;
      default:
        return this.errorf(`can't handle ${nodeString(n)} for arg of type ${t ? paramTypeName(t) : '<nil>'}`);
    }
  }
}

/** Go compares strings bytewise (UTF-8), which for well-formed strings is code point order. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** Runs the top-level template of `tree` with `data` as dot and `$`. Throws TemplateError with Go's message. */
export async function execute(tree: ParsedTree, data: GoValue, opts: ExecOptions, methods: MethodTable = () => undefined): Promise<string> {
  const root = tree.templates.get(tree.name);
  const out: string[] = [];
  const state = new State(tree, tree.name, out, opts, methods, [{ name: '$', value: data }], 0);
  if (root === undefined) state.errorf(`${quote(tree.name)} is an incomplete or empty template`);
  await state.walk(data, root as ListNode);
  return out.join('');
}

