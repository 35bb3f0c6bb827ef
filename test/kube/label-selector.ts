import { badRequest } from './kube-status.ts';

/** A compiled selector: true when the labels (or fields) match. */
export type Matcher = (values: Readonly<Record<string, string>> | undefined) => boolean;

type Requirement = (values: Readonly<Record<string, string>>) => boolean;

const matchAll: Matcher = () => true;

/** Splits on the commas that are not inside a `(...)` value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

const keyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function checkKey(key: string, term: string): string {
  if (!keyPattern.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${term}"`);
  return key;
}

function checkValue(value: string, term: string): string {
  if (!valuePattern.test(value)) throw badRequest(`unable to parse requirement: invalid label value "${value}" in "${term}"`);
  return value;
}

function requirement(term: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (set) {
    const key = checkKey(set[1] ?? '', term);
    const values = new Set((set[3] ?? '').split(',').map((v) => checkValue(v.trim(), term)));
    return set[2] === 'in' ? (l) => key in l && values.has(l[key] ?? '') : (l) => !(key in l) || !values.has(l[key] ?? '');
  }
  const op = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(term);
  if (op) {
    const key = checkKey(op[1] ?? '', term);
    const value = (op[3] ?? '').trim();
    switch (op[2]) {
      case '!=':
        checkValue(value, term);
        return (l) => l[key] !== value;
      case '<':
      case '>': {
        const bound = Number(value);
        if (!Number.isInteger(bound)) throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer in "${term}"`);
        return op[2] === '<' ? (l) => key in l && Number(l[key]) < bound : (l) => key in l && Number(l[key]) > bound;
      }
      default:
        checkValue(value, term);
        return (l) => l[key] === value;
    }
  }
  if (term.startsWith('!')) {
    const key = checkKey(term.slice(1).trim(), term);
    return (l) => !(key in l);
  }
  const key = checkKey(term, term);
  return (l) => key in l;
}

/**
 * Compiles a Kubernetes label selector (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * `a>1`, `a<1`, comma-separated, all of which must hold). A malformed one is a 400 BadRequest.
 */
export function parseLabelSelector(selector: string | undefined): Matcher {
  if (selector === undefined || selector.trim() === '') return matchAll;
  const requirements = splitTerms(selector).map(requirement);
  return (labels) => {
    const l = labels ?? {};
    for (const r of requirements) if (!r(l)) return false;
    return true;
  };
}

/**
 * Compiles a field selector (`metadata.name=x`, `status.phase!=Running`, comma-separated) over the field
 * labels a resource supports; any other field is a 400, as Kubernetes answers.
 */
export function parseFieldSelector(selector: string | undefined, supported: ReadonlySet<string>, resource: string): Matcher {
  if (selector === undefined || selector.trim() === '') return matchAll;
  const requirements = splitTerms(selector).map((term): Requirement => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = m[1] ?? '';
    if (!supported.has(field)) throw badRequest(`field label not supported: ${field} (for ${resource})`);
    const value = (m[3] ?? '').trim();
    return m[2] === '!=' ? (f) => (f[field] ?? '') !== value : (f) => (f[field] ?? '') === value;
  });
  return (fields) => {
    const f = fields ?? {};
    for (const r of requirements) if (!r(f)) return false;
    return true;
  };
}
