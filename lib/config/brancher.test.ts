import { describe, expect, it } from 'vitest';
import { branchFiltersIntersect, shouldRunOnBranch } from './brancher.ts';

describe('shouldRunOnBranch', () => {
  it('runs everywhere with no filter, and matches unanchored regexps as Prow does', () => {
    expect(shouldRunOnBranch({}, 'anything')).toBe(true);
    expect(shouldRunOnBranch({ branches: ['main'] }, 'main')).toBe(true);
    expect(shouldRunOnBranch({ branches: ['main'] }, 'not-main-really')).toBe(true);
    expect(shouldRunOnBranch({ branches: ['^main$'] }, 'not-main-really')).toBe(false);
  });

  it('lets skip_branches win over branches', () => {
    const filter = { branches: ['^release-'], skip_branches: ['^release-1\\.2\\d$'] };
    expect(shouldRunOnBranch(filter, 'release-1.30')).toBe(true);
    expect(shouldRunOnBranch(filter, 'release-1.29')).toBe(false);
    expect(shouldRunOnBranch(filter, 'main')).toBe(false);
  });
});

describe('branchFiltersIntersect', () => {
  it('follows Prow: literal branch lists compare as sets, skip lists are tried against the other side', () => {
    expect(branchFiltersIntersect({}, { branches: ['main'] })).toBe(true);
    expect(branchFiltersIntersect({ branches: ['main'] }, { branches: ['dev'] })).toBe(false);
    expect(branchFiltersIntersect({ branches: ['main'] }, { branches: ['main', 'dev'] })).toBe(true);
    expect(branchFiltersIntersect({ branches: ['release-1.30'] }, { skip_branches: ['release-\\d+\\.\\d+'] })).toBe(false);
    expect(branchFiltersIntersect({ skip_branches: ['release-\\d+\\.\\d+'] }, { branches: ['main'] })).toBe(true);
    expect(branchFiltersIntersect({ skip_branches: ['a'] }, { skip_branches: ['b'] })).toBe(true);
  });
});
