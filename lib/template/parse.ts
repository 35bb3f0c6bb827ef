import { builtinNames, unsupportedBuiltins } from './go-funcs.ts';
import type { ActionToken, Token } from './lex.ts';
import { TemplateFault } from './template-error.ts';

/** An operand of a command: what Go's parser calls a node inside a pipeline. */
export type Operand =
  | { type: 'field'; names: string[]; offset: number }
  | { type: 'variable'; name: string; names: string[]; offset: number }
  | { type: 'chain'; pipe: Pipeline; names: string[]; offset: number }
  | { type: 'dot'; offset: number }
  | { type: 'function'; name: string; offset: number }
  | { type: 'constant'; value: string | number | boolean | null; offset: number };

/** One stage of a pipeline: a function and its arguments, or a single operand. */
export interface Command {
  args: Operand[];
  offset: number;
}

/** `$a, $b := cmd | cmd`: the commands, and the variables the result is declared in or assigned to. */
export interface Pipeline {
  decl: string[];
  isAssign: boolean;
  commands: Command[];
  offset: number;
}

/** `{{if}}`, `{{with}}` or `{{range}}` with its body and the list after `{{else}}`. */
export interface ControlNode {
  type: 'if' | 'with' | 'range';
  pipe: Pipeline;
  list: TemplateNode[];
  elseList: TemplateNode[] | undefined;
  offset: number;
}

/** The parsed template: text, output actions and control structures. */
export type TemplateNode =
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: Pipeline; offset: number }
  | ControlNode
  | { type: 'break' | 'continue'; offset: number };

type Terminator = { kind: 'end' | 'else'; offset: number } | { kind: 'eof' };

/** Parses the tokens of one template into its tree, refusing what Go's text/template parser refuses. */
export function parseTokens(tokens: readonly Token[]): TemplateNode[] {
  return new Parser(tokens).template();
}

class Parser {
  private readonly tokens: readonly Token[];
  private pos = 0;
  private readonly vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  template(): TemplateNode[] {
    const { nodes, end } = this.list();
    if (end.kind !== 'eof') throw new TemplateFault(`unexpected {{${end.kind}}}`, end.offset);
    return nodes;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private fail(why: string, at: Token | number | undefined = this.peek(), hint?: string): never {
    const offset = typeof at === 'number' ? at : (at?.offset ?? this.tokens.at(-1)?.offset);
    throw new TemplateFault(why, offset, hint);
  }

  private actionToken(): ActionToken | undefined {
    const token = this.peek();
    return token !== undefined && isActionToken(token) ? token : undefined;
  }

  private keyword(): string | undefined {
    const token = this.peek();
    return token?.kind === 'identifier' && ['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block'].includes(token.name)
      ? token.name
      : undefined;
  }

  private expectClose(context: string): void {
    const token = this.peek();
    if (token?.kind !== 'close') this.fail(token === undefined ? `unclosed ${context}` : `unexpected ${describe(token)} in ${context}`, token);
    this.pos++;
  }

  /** Nodes up to `{{end}}`, `{{else}}` or the end of the template; the terminator's keyword is consumed. */
  private list(): { nodes: TemplateNode[]; end: Terminator } {
    const nodes: TemplateNode[] = [];
    for (;;) {
      const token = this.peek();
      if (token === undefined) return { nodes, end: { kind: 'eof' } };
      this.pos++;
      if (token.kind === 'text') {
        nodes.push({ type: 'text', text: token.value });
        continue;
      }
      const word = this.keyword();
      const at = this.peek();
      if (word !== undefined && at !== undefined) this.pos++;
      switch (word) {
        case 'end':
          this.expectClose('end');
          return { nodes, end: { kind: 'end', offset: token.offset } };
        case 'else':
          return { nodes, end: { kind: 'else', offset: token.offset } };
        case 'if':
        case 'with':
        case 'range':
          nodes.push(this.control(word, token.offset));
          break;
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) this.fail(`{{${word}}} outside {{range}}`, at);
          this.expectClose(word);
          nodes.push({ type: word, offset: token.offset });
          break;
        case 'define':
        case 'template':
        case 'block':
          this.fail(`{{${word}}} is not supported: prow-ts renders one template with no named sub-templates`, at);
          break;
        default: {
          const pipe = this.pipeline('command');
          this.expectClose('command');
          nodes.push({ type: 'action', pipe, offset: token.offset });
        }
      }
    }
  }

  /** `{{if|with|range pipeline}} list [{{else [if|with ...]}} list] {{end}}`, after the keyword. */
  private control(kind: ControlNode['type'], offset: number): ControlNode {
    const scope = this.vars.length;
    const pipe = this.pipeline(kind);
    this.expectClose(kind);
    if (kind === 'range') this.rangeDepth++;
    const body = this.list();
    if (kind === 'range') this.rangeDepth--;
    let elseList: TemplateNode[] | undefined;
    const unclosed = `unexpected end of template: this {{${kind}}} has no {{end}}`;
    if (body.end.kind === 'eof') this.fail(unclosed, offset);
    if (body.end.kind === 'else') {
      const next = this.peek();
      if (kind !== 'range' && next?.kind === 'identifier' && next.name === kind) {
        // `{{else if b}}` is `{{else}}{{if b}}...{{end}}{{end}}` with the inner {{end}} shared, as in Go.
        this.pos++;
        elseList = [this.control(kind, next.offset)];
      } else {
        this.expectClose('else');
        const rest = this.list();
        if (rest.end.kind === 'eof') this.fail(unclosed, offset);
        if (rest.end.kind === 'else') this.fail('expected {{end}}; found {{else}}', rest.end.offset);
        elseList = rest.nodes;
      }
    }
    this.vars.length = scope;
    return { type: kind, pipe, list: body.nodes, elseList, offset };
  }

  private pipeline(context: string): Pipeline {
    const start = this.peek();
    const pipe: Pipeline = { decl: [], isAssign: false, commands: [], offset: start?.offset ?? 0 };
    this.declarations(pipe, context);
    for (;;) {
      pipe.commands.push(this.command(context));
      const token = this.peek();
      if (token?.kind !== '|') break;
      this.pos++;
    }
    pipe.commands.forEach((cmd, i) => {
      const first = cmd.args[0];
      if (i > 0 && (first?.type === 'constant' || first?.type === 'dot')) this.fail(`non executable command in pipeline stage ${i + 1}`, start);
    });
    return pipe;
  }

  private declarations(pipe: Pipeline, context: string): void {
    const first = this.tokens[this.pos];
    const after = this.tokens[this.pos + 1];
    if (first?.kind !== 'variable' || after === undefined) return;
    if (after.kind === ':=' || after.kind === '=') {
      if (after.kind === '=' && !this.vars.includes(first.name)) this.fail(`undefined variable ${JSON.stringify(first.name)}`, first);
      pipe.isAssign = after.kind === '=';
      pipe.decl.push(first.name);
      this.pos += 2;
    } else if (after.kind === ',') {
      const second = this.tokens[this.pos + 2];
      const op = this.tokens[this.pos + 3];
      if (context !== 'range') this.fail(`too many declarations in ${context}`, after);
      if (second?.kind !== 'variable' || (op?.kind !== ':=' && op?.kind !== '=')) this.fail('range can only initialize variables', second);
      if (op.kind === '=' && (!this.vars.includes(first.name) || !this.vars.includes(second.name))) this.fail('undefined variable in assignment', first);
      pipe.isAssign = op.kind === '=';
      pipe.decl.push(first.name, second.name);
      this.pos += 4;
    } else return;
    if (pipe.decl.length > 0 && !pipe.isAssign) this.vars.push(...pipe.decl);
  }

  private command(context: string): Command {
    const start = this.peek();
    const args: Operand[] = [];
    for (;;) {
      const token = this.actionToken();
      if (token === undefined || token.kind === '|' || token.kind === ')') break;
      if (args.length > 0 && !token.spaced) this.fail(`missing space before ${describe(token)}`, token);
      args.push(this.operand());
    }
    if (args.length === 0) this.fail(`missing value for ${context}`, start);
    return { args, offset: start?.offset ?? 0 };
  }

  private operand(): Operand {
    const token = this.actionToken();
    if (token === undefined) this.fail('missing operand');
    this.pos++;
    let node: Operand;
    switch (token.kind) {
      case 'field':
        node = { type: 'field', names: [token.name], offset: token.offset };
        break;
      case 'variable':
        if (!this.vars.includes(token.name)) this.fail(`undefined variable ${JSON.stringify(token.name)}`, token);
        node = { type: 'variable', name: token.name, names: [], offset: token.offset };
        break;
      case 'dot':
        node = { type: 'dot', offset: token.offset };
        break;
      case 'string':
        node = { type: 'constant', value: token.value, offset: token.offset };
        break;
      case 'number':
        node = { type: 'constant', value: token.value, offset: token.offset };
        break;
      case 'identifier':
        node = this.identifier(token);
        break;
      case '(': {
        const pipe = this.pipeline('parenthesized pipeline');
        const close = this.peek();
        if (close?.kind !== ')') this.fail('unclosed left paren', token);
        this.pos++;
        node = { type: 'chain', pipe, names: [], offset: token.offset };
        break;
      }
      default:
        this.fail(`unexpected ${describe(token)} in operand`, token);
    }
    for (let next = this.actionToken(); next?.kind === 'field' && !next.spaced; next = this.actionToken()) {
      this.pos++;
      if (node.type === 'field' || node.type === 'variable' || node.type === 'chain') node.names.push(next.name);
      else this.fail(`unexpected .${next.name} after term`, next);
    }
    return node;
  }

  private identifier(token: Extract<Token, { kind: 'identifier' }>): Operand {
    switch (token.name) {
      case 'true':
      case 'false':
        return { type: 'constant', value: token.name === 'true', offset: token.offset };
      case 'nil':
        return { type: 'constant', value: null, offset: token.offset };
    }
    if (unsupportedBuiltins.has(token.name)) this.fail(`function ${JSON.stringify(token.name)} is not supported by prow-ts`, token);
    if (!builtinNames.has(token.name)) this.fail(`function ${JSON.stringify(token.name)} not defined`, token);
    return { type: 'function', name: token.name, offset: token.offset };
  }
}

function isActionToken(token: Token): token is ActionToken {
  return token.kind !== 'text' && token.kind !== 'open' && token.kind !== 'close';
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'field':
      return `.${token.name}`;
    case 'variable':
    case 'identifier':
      return JSON.stringify(token.name);
    case 'string':
      return JSON.stringify(token.value);
    case 'number':
      return token.text;
    case 'text':
      return 'text';
    case 'open':
      return '{{';
    case 'close':
      return '}}';
    case 'dot':
      return '"."';
    default:
      return JSON.stringify(token.kind);
  }
}
