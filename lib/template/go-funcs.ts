import { goSprint, goSprintf, goSprintln } from './go-printf.ts';
import { formatValue, goTypeName, isRecord, isTrue, type GoValue } from './go-value.ts';

/** A builtin with evaluated arguments; it throws a plain Error saying why a call fails, as Go's return. */
type Builtin = (args: readonly GoValue[]) => GoValue;

/** Go's text/template builtins that prow-ts does not implement (named in the parse error). */
export const unsupportedBuiltins: ReadonlySet<string> = new Set(['call', 'slice']);

function arity(name: string, args: readonly GoValue[], want: number): void {
  if (args.length !== want) throw new Error(`wrong number of args for ${name}: want ${want} got ${args.length}`);
}

type Kind = 'bool' | 'number' | 'string' | 'nil' | 'other';
const kindOf = (v: GoValue): Kind =>
  typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : v === undefined || v === null ? 'nil' : 'other';

/** Go's eq for one pair: basic kinds compare by value, different kinds fail, nil equals only nil. */
function equal(a: GoValue, b: GoValue): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka !== kb) throw new Error('error calling eq: incompatible types for comparison');
  if (ka === 'other') throw new Error(`error calling eq: non-comparable type ${goTypeName(a)}`);
  return a === b;
}

function less(name: string, a: GoValue, b: GoValue): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== 'number' && ka !== 'string') throw new Error(`error calling ${name}: invalid type for comparison`);
  if (ka !== kb) throw new Error(`error calling ${name}: incompatible types for comparison`);
  return (a as number | string) < (b as number | string);
}

function index(args: readonly GoValue[]): GoValue {
  const [item, ...keys] = args;
  if (args.length === 0) throw new Error('wrong number of args for index: want at least 1 got 0');
  let current = item;
  for (const key of keys) {
    if (current === undefined || current === null) throw new Error('error calling index: index of untyped nil');
    if (Array.isArray(current) || typeof current === 'string') {
      if (typeof key !== 'number' || !Number.isInteger(key)) throw new Error(`error calling index: cannot index slice/array with type ${goTypeName(key)}`);
      const length = typeof current === 'string' ? Buffer.byteLength(current) : current.length;
      if (key < 0 || key >= length) throw new Error(`error calling index: index out of range: ${key}`);
      current = typeof current === 'string' ? Buffer.from(current)[key] : (current[key] as GoValue);
    } else if (isRecord(current)) {
      if (typeof key !== 'string') throw new Error(`error calling index: value has type ${goTypeName(key)}; should be string`);
      current = Object.hasOwn(current, key) ? current[key] : undefined;
    } else {
      throw new Error(`error calling index: can't index item of type ${goTypeName(current)}`);
    }
  }
  return current;
}

function length(value: GoValue): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Array.isArray(value)) return value.length;
  if (isRecord(value)) return Object.values(value).filter((v) => v !== undefined).length;
  throw new Error(`error calling len: len of ${value === undefined || value === null ? 'nil pointer' : `type ${goTypeName(value)}`}`);
}

/** Go's template.HTMLEscapeString. */
export function htmlEscapeString(text: string): string {
  return text.replace(/[&'<>"\0]/g, (ch) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;' })[ch] ?? '\uFFFD');
}

/** Go's url.QueryEscape: everything but letters, digits and -_.~ percent-encoded, spaces as +. */
export function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go's template.JSEscapeString. */
export function jsEscapeString(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\\' || ch === "'" || ch === '"') out += `\\${ch}`;
    else if ('<>&='.includes(ch) || ch < ' ') out += `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

const builtins: Readonly<Record<string, Builtin>> = {
  not: (args) => {
    arity('not', args, 1);
    return !isTrue(args[0]);
  },
  eq: (args) => {
    if (args.length < 2) throw new Error('error calling eq: missing argument for comparison');
    const [first, ...rest] = args;
    return rest.some((other) => equal(first, other));
  },
  ne: (args) => {
    arity('ne', args, 2);
    return !equal(args[0], args[1]);
  },
  lt: (args) => {
    arity('lt', args, 2);
    return less('lt', args[0], args[1]);
  },
  le: (args) => {
    arity('le', args, 2);
    return less('le', args[0], args[1]) || equal(args[0], args[1]);
  },
  gt: (args) => {
    arity('gt', args, 2);
    return !less('gt', args[0], args[1]) && !equal(args[0], args[1]);
  },
  ge: (args) => {
    arity('ge', args, 2);
    return !less('ge', args[0], args[1]);
  },
  index,
  len: (args) => {
    arity('len', args, 1);
    return length(args[0]);
  },
  printf: (args) => {
    const [format, ...rest] = args;
    if (typeof format !== 'string') throw new Error(`wrong type for value; expected string; got ${goTypeName(format)}`);
    return goSprintf(format, rest);
  },
  print: (args) => goSprint(args),
  // The escapers print their operands as fmt.Sprint does, as Go's evalArgs.
  println: (args) => goSprintln(args),
  html: (args) => htmlEscapeString(goSprint(args)),
  urlquery: (args) => queryEscape(goSprint(args)),
  js: (args) => jsEscapeString(goSprint(args)),
};

/** Every function name a template may call: Go's builtins that prow-ts implements, with and/or. */
export const builtinNames: ReadonlySet<string> = new Set([...Object.keys(builtins), 'and', 'or']);

/** Calls builtin `name` (not and/or, which the executor short-circuits). */
export function callBuiltin(name: string, args: readonly GoValue[]): GoValue {
  const fn = builtins[name];
  if (fn === undefined) throw new Error(`function ${JSON.stringify(name)} not defined`);
  return fn(args);
}

/** How a value is printed by an output action: `<no value>` for a missing field, else fmt's %v. */
export function printAction(value: GoValue): string {
  return value === undefined ? '<no value>' : formatValue(value);
}
