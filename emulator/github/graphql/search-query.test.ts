import { describe, expect, it } from 'vitest';
import { inDateRange, parseSearch, tokenizeSearch } from './search-query.ts';

describe('tokenizeSearch', () => {
  it('reads Tide-style qualifiers: quotes, alternatives, negation and free words', () => {
    expect(tokenizeSearch('is:pr -label:"do-not-merge/hold" label:"needs ok","ok" repo:"o/r" fix  the   bug')).toEqual([
      { key: 'is', values: ['pr'], negated: false },
      { key: 'label', values: ['do-not-merge/hold'], negated: true },
      { key: 'label', values: ['needs ok', 'ok'], negated: false },
      { key: 'repo', values: ['o/r'], negated: false },
      { key: undefined, values: ['fix'], negated: false },
      { key: undefined, values: ['the'], negated: false },
      { key: undefined, values: ['bug'], negated: false },
    ]);
  });

  it('keeps quoted phrases and commas in free text whole', () => {
    expect(tokenizeSearch('"two words" a,b - -x')).toEqual([
      { key: undefined, values: ['two words'], negated: false },
      { key: undefined, values: ['a,b'], negated: false },
      { key: undefined, values: ['-'], negated: false },
      { key: undefined, values: ['x'], negated: true },
    ]);
  });
});

describe('parseSearch', () => {
  it('takes sort:created|updated|comments with a direction and ignores other sorts', () => {
    expect(parseSearch('is:pr sort:updated-asc').sort).toEqual({ field: 'updated', direction: 'asc' });
    expect(parseSearch('sort:comments').sort).toEqual({ field: 'comments', direction: 'desc' });
    expect(parseSearch('sort:reactions-+1-desc').sort).toEqual({ field: 'created', direction: 'desc' });
    expect(parseSearch('is:pr sort:updated-asc').terms).toEqual([{ key: 'is', values: ['pr'], negated: false }]);
  });
});

describe('inDateRange', () => {
  const t = '2024-05-10T12:00:00Z';
  it('matches ranges as Tide writes them and the comparison forms', () => {
    expect(inDateRange(t, '2007-01-01T00:00:00Z..2024-05-10T12:00:00Z')).toBe(true);
    expect(inDateRange(t, '2007-01-01T00:00:00Z..2024-05-10T11:59:59Z')).toBe(false);
    expect(inDateRange(t, '2024-05-10..*')).toBe(true);
    expect(inDateRange(t, '>=2024-05-11')).toBe(false);
    expect(inDateRange(t, '>2024-05-09')).toBe(true);
    expect(inDateRange(t, '<2024-05-10')).toBe(false);
    expect(inDateRange(t, '<=2024-05-10')).toBe(true);
    expect(inDateRange(t, '2024-05-10')).toBe(true);
    expect(inDateRange(null, '*..*')).toBe(false);
  });
});
