import { describe, expect, it } from 'vitest';
import { compileGoRegexp, goRegexpError } from './go-regexp.ts';

describe('compileGoRegexp', () => {
  it('turns a leading (?m) or (?i) into JS flags', () => {
    const re = compileGoRegexp('(?mi)^/test all$');
    expect(re.flags).toBe('im');
    expect(re.test('hello\n/TEST ALL')).toBe(true);
  });

  it('translates named groups, \\A, \\z, \\Q…\\E and POSIX classes', () => {
    expect(compileGoRegexp('(?P<kind>bug|feature)').exec('a bug')?.groups?.kind).toBe('bug');
    expect(compileGoRegexp('\\Afoo').test('xfoo')).toBe(false);
    expect(compileGoRegexp('(?m)foo\\z').test('foo\nbar')).toBe(false);
    expect(compileGoRegexp('(?m)bar\\z').test('foo\nbar')).toBe(true);
    expect(compileGoRegexp('^\\Qa.b\\E$').test('a.b')).toBe(true);
    expect(compileGoRegexp('^\\Qa.b\\E$').test('axb')).toBe(false);
    expect(compileGoRegexp('^[[:digit:]]+$').test('123')).toBe(true);
  });

  it('reads Prow-style branch and path filters as Go does', () => {
    expect(compileGoRegexp('release-\\d+\\.\\d+').test('release-1.30')).toBe(true);
    expect(compileGoRegexp('^docs/|\\.md$').test('README.md')).toBe(true);
  });

  it('reports what does not compile', () => {
    expect(goRegexpError('((a|b)')).toMatch(/^invalid regular expression "\(\(a\|b\)": /);
    expect(goRegexpError('(?U)a+')).toMatch(/ungreedy/);
    expect(goRegexpError('a(?i:b)')).toMatch(/inline flag groups/);
    expect(goRegexpError('[[:nope:]]')).toMatch(/unknown POSIX class/);
    expect(goRegexpError('^main$')).toBeUndefined();
  });
});
