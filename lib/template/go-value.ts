/**
 * How plain JSON-like values stand in for Go's: `undefined` is Go's invalid value (a missing map key, printed
 * `<no value>`), `null` is nil, integral numbers are ints, other numbers float64, arrays slices, objects maps
 * or structs.
 */
export type GoValue = unknown;

/** A plain object: what a Go struct or map becomes in JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON keys a Go field name may stand for, in the order tried: as written, lowerCamel, snake_case. */
export function jsonKeysFor(goName: string): string[] {
  // A leading acronym is lowered whole (APIVersion -> apiVersion), as Go's json tags spell them.
  const camel = goName.replace(/^\p{Lu}+(?=\p{Lu}\p{Ll})|^\p{Lu}+/u, (run) => run.toLowerCase());
  const snake = goName
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1_$2')
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, '$1_$2')
    .toLowerCase();
  return [...new Set([goName, camel, snake])];
}

/** The Go field name a JSON key reads best as in a hint: `build_id` -> `BuildId`, `spec` -> `Spec`. */
export function goNameFor(key: string): string {
  return key
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The value of field `goName` of `record`, found under any of its JSON spellings; `found` false when none is there. */
export function lookupField(record: Readonly<Record<string, unknown>>, goName: string): { found: boolean; value: GoValue } {
  for (const key of jsonKeysFor(goName)) {
    if (Object.hasOwn(record, key)) return { found: true, value: record[key] };
  }
  return { found: false, value: undefined };
}

/** Go's truth: false for the zero value, nil, invalid, and empty strings, slices and maps. Objects count as structs: true. */
export function isTrue(value: GoValue): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  return true;
}

/** The Go type a value stands for, as fmt names it in `%!d(string=x)`. */
export function goTypeName(value: GoValue): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'int' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  if (isRecord(value)) return 'map[string]interface {}';
  return '<nil>';
}

/** Go's %v of a float64: strconv's shortest 'g' form, with the exponent as Go writes it (1e+06, 1.5e-07). */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  let out: string;
  if (exponent < 0) out = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  else if (digits.length > exponent + 1) out = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  else out = digits + '0'.repeat(exponent + 1 - digits.length);
  return negative ? `-${out}` : out;
}

/** Go's fmt.Sprint of one value (%v): `<nil>` for nil, `[a b]` for slices, `map[k:v]` for maps with sorted keys. */
export function formatValue(value: GoValue): string {
  if (value === undefined || value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : formatFloat(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(' ')}]`;
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${k}:${formatValue(value[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return typeof value === 'bigint' ? value.toString() : '<nil>';
}
