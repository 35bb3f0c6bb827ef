/** One term of a search string: a qualifier (`label:"a b","c"`, `-repo:o/r`) or a free-text word (no key). */
export interface SearchTerm {
  key: string | undefined;
  /** Alternatives: `label:"a","b"` matches either. */
  values: string[];
  negated: boolean;
}

/** A parsed issue search: its terms and the `sort:` it asked for. */
export interface SearchQuery {
  terms: SearchTerm[];
  sort: { field: 'created' | 'updated' | 'comments'; direction: 'asc' | 'desc' };
}

function readValue(q: string, at: number, stopAtComma: boolean): { value: string; next: number } {
  if (q[at] === '"') {
    const close = q.indexOf('"', at + 1);
    const end = close === -1 ? q.length : close;
    return { value: q.slice(at + 1, end), next: close === -1 ? end : end + 1 };
  }
  let end = at;
  while (end < q.length && !/\s/.test(q[end] ?? '') && !(stopAtComma && q[end] === ',')) end++;
  return { value: q.slice(at, end), next: end };
}

/** Splits a search string into terms the way github.com reads it: quotes group, commas list alternatives. */
export function tokenizeSearch(q: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  let i = 0;
  while (i < q.length) {
    if (/\s/.test(q[i] ?? '')) {
      i++;
      continue;
    }
    const negated = q[i] === '-' && i + 1 < q.length && !/\s/.test(q[i + 1] ?? '');
    if (negated) i++;
    const key = /^([A-Za-z][A-Za-z-]*):(?=\S)/.exec(q.slice(i));
    if (!key?.[1]) {
      const { value, next } = readValue(q, i, false);
      terms.push({ key: undefined, values: [value], negated });
      i = next;
      continue;
    }
    i += key[0].length;
    const values: string[] = [];
    for (;;) {
      const { value, next } = readValue(q, i, true);
      values.push(value);
      i = next;
      if (q[i] !== ',') break;
      i++;
    }
    terms.push({ key: key[1].toLowerCase(), values, negated });
  }
  return terms;
}

const sortFields = new Set(['created', 'updated', 'comments']);

/**
 * Parses an issue search. `sort:` takes `created|updated|comments` with `-asc|-desc`; other sorts (best
 * match, reactions, interactions) fall back to newest first, which is the emulator's stand-in for best match.
 */
export function parseSearch(q: string): SearchQuery {
  const query: SearchQuery = { terms: [], sort: { field: 'created', direction: 'desc' } };
  for (const term of tokenizeSearch(q)) {
    if (term.key !== 'sort') {
      query.terms.push(term);
      continue;
    }
    const m = /^([a-z]+)(?:-(asc|desc))?$/.exec(term.values[0] ?? '');
    if (m?.[1] && sortFields.has(m[1])) {
      query.sort = { field: m[1] as SearchQuery['sort']['field'], direction: m[2] === 'asc' ? 'asc' : 'desc' };
    }
  }
  return query;
}

/** Whether a time (ISO) is in a search date range: `X..Y`, `*..Y`, `>=X`, `<X`, or a bare day or time. */
export function inDateRange(time: string | null, range: string): boolean {
  if (time === null) return false;
  const t = Date.parse(time);
  const at = (s: string, endOfDay: boolean): number => {
    const ms = Date.parse(s);
    return endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(s) ? ms + 86_400_000 : ms;
  };
  const dots = range.indexOf('..');
  if (dots !== -1) {
    const from = range.slice(0, dots);
    const to = range.slice(dots + 2);
    return (from === '*' || from === '' || t >= at(from, false)) && (to === '*' || to === '' || t < at(to, true) || t === at(to, false));
  }
  const op = /^(>=|<=|>|<)?(.*)$/.exec(range);
  const value = op?.[2] ?? range;
  switch (op?.[1]) {
    case '>=':
      return t >= at(value, false);
    case '>':
      return t >= at(value, true);
    case '<=':
      return t < at(value, true) || t === at(value, false);
    case '<':
      return t < at(value, false);
    default:
      return t >= at(value, false) && (t < at(value, true) || t === at(value, false));
  }
}
