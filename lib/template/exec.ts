import { callBuiltin, printAction } from './go-funcs.ts';
import { goNameFor, goTypeName, isRecord, isTrue, lookupField, type GoValue } from './go-value.ts';
import type { Command, ControlNode, Operand, Pipeline, TemplateNode } from './parse.ts';
import { TemplateFault } from './template-error.ts';

/** How one execution treats its data. */
export interface ExecOptions {
  /** Each action's output escaped as html/template does in HTML text; nil and missing values print nothing. */
  html: boolean;
  /** `default`: a field the data lacks is Go's missing map key. `error`: it fails, as an unknown struct field does in Go. */
  missingKey: 'default' | 'error';
  /** Escapes one action's output in html mode. */
  escape: (text: string) => string;
}

// Marks "no value piped in" apart from a piped-in missing value (undefined).
const noFinal = Symbol('no final value');
type Final = GoValue;

// {{break}} and {{continue}} unwind to their {{range}} as these; the parser keeps them inside one.
const breakSignal = new Error('{{break}} outside {{range}}');
const continueSignal = new Error('{{continue}} outside {{range}}');

const fieldHint = (value: GoValue): string | undefined =>
  isRecord(value)
    ? Object.keys(value)
        .filter((k) => value[k] !== undefined)
        .map((k) => `.${goNameFor(k)}`)
        .join(', ')
    : undefined;

/** Runs a parsed template over `data`, as Go's Template.Execute. */
export function execute(nodes: readonly TemplateNode[], data: GoValue, options: ExecOptions): string {
  const run = new Execution(data, options);
  run.walk(data, nodes);
  return run.out.join('');
}

class Execution {
  readonly out: string[] = [];
  private readonly vars: { name: string; value: GoValue }[];
  private readonly data: GoValue;
  private readonly options: ExecOptions;

  constructor(data: GoValue, options: ExecOptions) {
    this.data = data;
    this.options = options;
    this.vars = [{ name: '$', value: data }];
  }

  walk(dot: GoValue, nodes: readonly TemplateNode[]): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          this.out.push(node.text);
          break;
        case 'action': {
          const value = this.pipeline(dot, node.pipe);
          if (node.pipe.decl.length === 0) this.out.push(this.print(value));
          break;
        }
        case 'if':
        case 'with': {
          const mark = this.vars.length;
          const value = this.pipeline(dot, node.pipe);
          if (isTrue(value)) this.walk(node.type === 'with' ? value : dot, node.list);
          else if (node.elseList !== undefined) this.walk(dot, node.elseList);
          this.vars.length = mark;
          break;
        }
        case 'range':
          this.range(dot, node);
          break;
        case 'break':
          throw breakSignal;
        case 'continue':
          throw continueSignal;
      }
    }
  }

  private print(value: GoValue): string {
    if (!this.options.html) return printAction(value);
    return value === undefined || value === null ? '' : this.options.escape(printAction(value));
  }

  private range(dot: GoValue, node: ControlNode): void {
    const mark = this.vars.length;
    const value = this.commands(dot, node.pipe);
    const [first, second] = node.pipe.decl;
    let items: [GoValue, GoValue][];
    if (value === undefined || value === null) items = [];
    else if (Array.isArray(value)) items = value.map((v, i) => [i, v as GoValue]);
    else if (isRecord(value))
      items = Object.keys(value)
        .filter((k) => value[k] !== undefined)
        .sort()
        .map((k) => [k, value[k]]);
    else if (typeof value === 'number' && Number.isSafeInteger(value)) {
      if (second !== undefined) throw new TemplateFault(`can't use ${first ?? ''}, ${second} := range over int`, node.offset);
      items = Array.from({ length: Math.max(0, value) }, (_, i) => [i, i]);
    } else throw new TemplateFault(`range can't iterate over ${printAction(value)}`, node.offset);

    if (!node.pipe.isAssign) this.vars.push(...node.pipe.decl.map((name) => ({ name, value })));
    const inner = this.vars.length;
    for (const [key, elem] of items) {
      // One variable takes the element; two take the key (or index) and the element, as in Go.
      if (second === undefined) {
        if (first !== undefined) this.setVariable(first, elem);
      } else if (first !== undefined) {
        this.setVariable(first, key);
        this.setVariable(second, elem);
      }
      try {
        this.walk(elem, node.list);
      } catch (signal) {
        if (signal === breakSignal) break;
        if (signal !== continueSignal) throw signal;
      } finally {
        // What the body declared is gone before the next element, as in Go.
        this.vars.length = inner;
      }
    }
    if (items.length === 0 && node.elseList !== undefined) this.walk(dot, node.elseList);
    this.vars.length = mark;
  }

  /** Sets the innermost variable called `name` (the parser made sure there is one). */
  private setVariable(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const slot = this.vars[i];
      if (slot?.name === name) {
        slot.value = value;
        return;
      }
    }
  }

  private pipeline(dot: GoValue, pipe: Pipeline): GoValue {
    const value = this.commands(dot, pipe);
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVariable(name, value);
      else this.vars.push({ name, value });
    }
    return value;
  }

  private commands(dot: GoValue, pipe: Pipeline): GoValue {
    let value: Final = noFinal;
    for (const cmd of pipe.commands) value = this.command(dot, cmd, value);
    return value === noFinal ? undefined : value;
  }

  private command(dot: GoValue, cmd: Command, final: Final): GoValue {
    const [first, ...args] = cmd.args;
    if (first === undefined) throw new TemplateFault('empty command', cmd.offset);
    const hasArgs = args.length > 0 || final !== noFinal;
    switch (first.type) {
      case 'function':
        return this.call(dot, first.name, args, final, first.offset);
      case 'field':
        return this.fieldChain(dot, first.names, hasArgs, first.offset);
      case 'variable':
        return this.fieldChain(this.variable(first.name, first.offset), first.names, hasArgs, first.offset);
      case 'chain':
        if (first.names.length === 0 && hasArgs) throw new TemplateFault("can't give argument to non-function (...)", first.offset);
        return this.fieldChain(this.commands(dot, first.pipe), first.names, hasArgs, first.offset);
      case 'dot':
        if (hasArgs) throw new TemplateFault("can't give argument to non-function .", first.offset);
        return dot;
      case 'constant':
        if (first.value === null) throw new TemplateFault('nil is not a command', first.offset);
        if (hasArgs) throw new TemplateFault(`can't give argument to non-function ${JSON.stringify(first.value)}`, first.offset);
        return first.value;
    }
  }

  private argument(dot: GoValue, arg: Operand): GoValue {
    switch (arg.type) {
      case 'function':
        return this.call(dot, arg.name, [], noFinal, arg.offset);
      case 'field':
        return this.fieldChain(dot, arg.names, false, arg.offset);
      case 'variable':
        return this.fieldChain(this.variable(arg.name, arg.offset), arg.names, false, arg.offset);
      case 'chain':
        return this.fieldChain(this.commands(dot, arg.pipe), arg.names, false, arg.offset);
      case 'dot':
        return dot;
      case 'constant':
        return arg.value;
    }
  }

  private variable(name: string, offset: number): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const slot = this.vars[i];
      if (slot?.name === name) return slot.value;
    }
    throw new TemplateFault(`undefined variable: ${name}`, offset);
  }

  private fieldChain(receiver: GoValue, names: readonly string[], hasArgs: boolean, offset: number): GoValue {
    let value = receiver;
    names.forEach((name, i) => {
      if (hasArgs && i === names.length - 1) throw new TemplateFault(`${name} has arguments but cannot be invoked as function`, offset);
      value = this.field(value, name, offset);
    });
    return value;
  }

  private field(receiver: GoValue, name: string, offset: number): GoValue {
    const strict = this.options.missingKey === 'error';
    if (receiver === undefined || receiver === null) {
      if (strict) throw new TemplateFault(`nil pointer evaluating .${name}`, offset, fieldHint(this.data));
      return undefined;
    }
    if (!isRecord(receiver)) throw new TemplateFault(`can't evaluate field ${name} in type ${goTypeName(receiver)}`, offset);
    const { found, value } = lookupField(receiver, name);
    if (!found && strict) throw new TemplateFault(`there is no field .${name}`, offset, fieldHint(receiver));
    return value;
  }

  private call(dot: GoValue, name: string, args: readonly Operand[], final: Final, offset: number): GoValue {
    if (name === 'and' || name === 'or') {
      const thunks: (() => GoValue)[] = args.map((arg) => () => this.argument(dot, arg));
      if (final !== noFinal) thunks.push(() => final);
      if (thunks.length === 0) throw new TemplateFault(`wrong number of args for ${name}: want at least 1 got 0`, offset);
      let value: GoValue;
      for (const thunk of thunks) {
        value = thunk();
        // and stops at the first false operand, or at the first true one: either is the result.
        if (isTrue(value) === (name === 'or')) return value;
      }
      return value;
    }
    const values = args.map((arg) => this.argument(dot, arg));
    if (final !== noFinal) values.push(final);
    try {
      return callBuiltin(name, values);
    } catch (err) {
      throw new TemplateFault(err instanceof Error ? err.message : String(err), offset);
    }
  }
}
