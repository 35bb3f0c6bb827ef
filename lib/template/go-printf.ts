import { formatFloat, formatValue, goTypeName, isRecord, type GoValue } from './go-value.ts';

interface Spec {
  minus: boolean;
  plus: boolean;
  zero: boolean;
  space: boolean;
  width: number | undefined;
  precision: number | undefined;
  verb: string;
}

const bad = (verb: string, value: GoValue): string =>
  value === undefined || value === null ? `%!${verb}(<nil>)` : `%!${verb}(${goTypeName(value)}=${formatValue(value)})`;

/** Go's strconv.Quote for the characters templates meet. */
export function goQuote(text: string): string {
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += named[ch] ?? (code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch);
  }
  return `${out}"`;
}

function pad(text: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  const length = Array.from(text).length;
  if (length >= width) return text;
  if (spec.minus) return text + ' '.repeat(width - length);
  if (spec.zero && numeric) {
    const sign = /^[+-]/.test(text) ? text.charAt(0) : '';
    return sign + '0'.repeat(width - length) + text.slice(sign.length);
  }
  return ' '.repeat(width - length) + text;
}

function signed(text: string, spec: Spec, negative: boolean): string {
  if (negative) return text;
  return spec.plus ? `+${text}` : spec.space ? ` ${text}` : text;
}

/** One verb applied to one value, as Go's fmt does for the kinds a template meets. */
function formatOne(spec: Spec, value: GoValue): string {
  const { verb } = spec;
  if (Array.isArray(value) && verb !== 'v' && verb !== 'T') return `[${value.map((v) => formatOne({ ...spec, width: undefined }, v)).join(' ')}]`;
  if (verb === 'T') return pad(goTypeName(value), spec, false);
  if (verb === 'v') {
    if (typeof value === 'number') return pad(signed(formatValue(value), spec, value < 0), spec, true);
    return pad(formatValue(value), spec, false);
  }
  if (typeof value === 'string') {
    switch (verb) {
      case 's':
        return pad(spec.precision === undefined ? value : Array.from(value).slice(0, spec.precision).join(''), spec, false);
      case 'q':
        return pad(goQuote(value), spec, false);
      case 'x':
      case 'X': {
        const hex = Buffer.from(value, 'utf8').toString('hex');
        return pad(verb === 'X' ? hex.toUpperCase() : hex, spec, false);
      }
    }
    return bad(verb, value);
  }
  if (typeof value === 'number') {
    const integral = Number.isSafeInteger(value);
    const negative = value < 0;
    if (integral) {
      switch (verb) {
        case 'd':
          return pad(signed(String(value), spec, negative), spec, true);
        case 'x':
        case 'X': {
          const hex = (negative ? '-' : '') + Math.abs(value).toString(16);
          return pad(signed(verb === 'X' ? hex.toUpperCase() : hex, spec, negative), spec, true);
        }
        case 'o':
          return pad(signed((negative ? '-' : '') + Math.abs(value).toString(8), spec, negative), spec, true);
        case 'b':
          return pad(signed((negative ? '-' : '') + Math.abs(value).toString(2), spec, negative), spec, true);
        case 'c':
          return pad(String.fromCodePoint(value), spec, false);
        case 'q':
          return pad(`'${String.fromCodePoint(value)}'`, spec, false);
      }
      return bad(verb, value);
    }
    switch (verb) {
      case 'f':
      case 'F':
        return pad(signed(value.toFixed(spec.precision ?? 6), spec, negative), spec, true);
      case 'e':
      case 'E': {
        const [m = '', e = '0'] = value.toExponential(spec.precision ?? 6).split('e');
        const exp = Number(e);
        const text = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
        return pad(signed(verb === 'E' ? text.toUpperCase() : text, spec, negative), spec, true);
      }
      case 'g':
      case 'G':
        return pad(signed(formatFloat(value), spec, negative), spec, true);
    }
    return bad(verb, value);
  }
  if (typeof value === 'boolean') return verb === 't' ? pad(String(value), spec, false) : bad(verb, value);
  if (isRecord(value) && (verb === 's' || verb === 'd' || verb === 'q')) {
    const entries = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${formatOne({ ...spec, width: undefined }, k)}:${formatOne({ ...spec, width: undefined }, value[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return bad(verb, value);
}

const specRe = /%([-+# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([a-zA-Z%])?/y;

/** Go's fmt.Sprintf for the verbs templates use (%s %d %v %q %t %x %f %e %g %c %T %%), with width, precision and Go's error forms. */
export function goSprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let next = 0;
  let pos = 0;
  const take = (): { ok: boolean; value: GoValue } => (next < args.length ? { ok: true, value: args[next++] } : { ok: false, value: undefined });
  while (pos < format.length) {
    const percent = format.indexOf('%', pos);
    if (percent < 0) {
      out += format.slice(pos);
      break;
    }
    out += format.slice(pos, percent);
    specRe.lastIndex = percent;
    const m = specRe.exec(format);
    if (m === null) break;
    pos = specRe.lastIndex;
    const [, flags = '', widthText, precisionText, verb] = m;
    if (verb === undefined) {
      out += '%!(NOVERB)';
      continue;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    const starArg = (text: string | undefined): number | undefined => {
      if (text !== '*') return text === undefined ? undefined : Number(text);
      const arg = take();
      return typeof arg.value === 'number' ? arg.value : undefined;
    };
    const width = starArg(widthText);
    const precision = m[0].includes('.') ? (starArg(precisionText) ?? 0) : undefined;
    const spec: Spec = { minus: flags.includes('-'), plus: flags.includes('+'), zero: flags.includes('0'), space: flags.includes(' '), width, precision, verb };
    const arg = take();
    out += arg.ok ? formatOne(spec, arg.value) : `%!${verb}(MISSING)`;
  }
  if (next < args.length) out += `%!(EXTRA ${args.slice(next).map((a) => `${goTypeName(a)}=${formatValue(a)}`).join(', ')})`;
  return out;
}

/** Go's fmt.Sprint: operands printed with %v, a space between two operands when neither is a string. */
export function goSprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(arg);
  });
  return out;
}

/** Go's fmt.Sprintln: operands printed with %v, always space-separated, then a newline. */
export function goSprintln(args: readonly GoValue[]): string {
  return `${args.map(formatValue).join(' ')}\n`;
}
