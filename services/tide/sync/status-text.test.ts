import { describe, expect, it } from 'vitest';
import {
  blockedByIssuesStatus,
  fitDescription,
  formatEta,
  inPoolStatus,
  notInPoolStatus,
  retestingStatus,
  unmergeableStatus,
  withQueuePlace,
} from './status-text.ts';

describe("Tide's status texts", () => {
  it('says a PR is in the pool, and that GitHub blocks it when policy permit let it in', () => {
    expect(inPoolStatus({ mergeStateStatus: 'CLEAN' }, 'permit')).toEqual({ state: 'success', description: 'In merge pool.' });
    expect(inPoolStatus({ mergeStateStatus: 'BLOCKED' }, 'permit')).toEqual({ state: 'success', description: 'In merge pool (despite BLOCKED).' });
    expect(inPoolStatus({ mergeStateStatus: 'BLOCKED' }, 'ignore')).toEqual({ state: 'success', description: 'In merge pool.' });
  });

  it('gives a refusal and blocker issues as errors', () => {
    expect(unmergeableStatus('PR has a merge conflict.')).toEqual({ state: 'error', description: 'Not mergeable. PR has a merge conflict.' });
    expect(unmergeableStatus("PR can't be rebased").description).toBe("Not mergeable. PR can't be rebased");
    expect(blockedByIssuesStatus([12, 34])).toEqual({ state: 'error', description: 'Not mergeable. Merging is blocked by issues 12, 34.' });
    expect(blockedByIssuesStatus([12]).description).toBe('Not mergeable. Merging is blocked by issue 12.');
  });

  it('gives what a PR lacks as pending, after "Not mergeable."', () => {
    expect(notInPoolStatus(' Needs lgtm label.')).toEqual({ state: 'pending', description: 'Not mergeable. Needs lgtm label.' });
    expect(notInPoolStatus('')).toEqual({ state: 'pending', description: 'Not mergeable.' });
  });

  it('names the jobs being retested, sorted, or counts them when the names do not fit', () => {
    expect(retestingStatus(['unit', 'e2e'])).toEqual({ state: 'pending', description: 'Not mergeable. Retesting: e2e unit' });
    const many = Array.from({ length: 8 }, (_, i) => `pull-kubernetes-e2e-job-${String(i)}`);
    expect(retestingStatus(many)).toEqual({ state: 'pending', description: 'Not mergeable. Retesting 8 jobs.' });
    expect(retestingStatus(['pull-kubernetes-verify-with-a-name-so-long-that-even-one-does-not-fit-in-the-hundred-and-forty-characters-github-allows']).description).toBe(
      'Not mergeable. Retesting 1 job.',
    );
  });

  it('cuts a description to 140 characters, ending in "..."', () => {
    const long = `Not mergeable. Must be in milestone ${'v'.repeat(200)}.`;
    const cut = fitDescription(long);
    expect(cut).toHaveLength(140);
    expect(cut.endsWith('v...')).toBe(true);
    expect(notInPoolStatus(` Must be in milestone ${'v'.repeat(200)}.`).description).toBe(cut);
    expect(fitDescription('x'.repeat(140))).toBe('x'.repeat(140));
    // Characters, not UTF-16 units: an emoji is one, and is never split.
    expect(fitDescription(`${'x'.repeat(136)}🚀🚀🚀🚀🚀`)).toBe(`${'x'.repeat(136)}🚀...`);
  });
});

describe("the queue's place in an in-pool status", () => {
  const inPool = inPoolStatus({ mergeStateStatus: 'CLEAN' }, 'permit');

  it('appends position, train and ETA, each when known', () => {
    expect(withQueuePlace(inPool, { position: 3, size: 7, train: 41, etaMs: 25 * 60_000 })).toEqual({
      state: 'success',
      description: 'In merge pool. Position 3 of 7, train #41, ETA 25m.',
    });
    expect(withQueuePlace(inPool, { position: 1, size: 1 }).description).toBe('In merge pool. Position 1 of 1.');
    expect(withQueuePlace(inPool, { position: 2, size: 9, etaMs: 90 * 60_000 }).description).toBe('In merge pool. Position 2 of 9, ETA 1h30m.');
  });

  it('leaves statuses that are not success as they are', () => {
    const retesting = retestingStatus(['unit']);
    expect(withQueuePlace(retesting, { position: 1, size: 2 })).toBe(retesting);
  });

  it('drops the ETA, then the train, to stay within 140 characters', () => {
    const wide = { state: 'success' as const, description: 'x'.repeat(90) };
    expect(withQueuePlace(wide, { position: 3, size: 7, train: 'a-very-long-train-id', etaMs: 60_000 }).description).toBe(
      `${'x'.repeat(90)} Position 3 of 7, train #a-very-long-train-id.`,
    );
    expect(withQueuePlace(wide, { position: 3, size: 7, train: 'a-train-id-far-too-long-to-fit-here', etaMs: 60_000 }).description).toBe(`${'x'.repeat(90)} Position 3 of 7.`);
    expect(withQueuePlace({ state: 'success', description: 'x'.repeat(130) }, { position: 3, size: 7 }).description).toBe('x'.repeat(130));
  });

  it('writes durations as a reader wants them', () => {
    expect([0, 20_000, 60_000, 25 * 60_000 - 1, 60 * 60_000, 65 * 60_000].map(formatEta)).toEqual(['<1m', '<1m', '1m', '25m', '1h', '1h05m']);
  });
});
