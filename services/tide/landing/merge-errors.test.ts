import { describe, expect, it } from 'vitest';
import { classifyMergeError, unmergeableHint } from './merge-errors.ts';

/** An error shaped as Octokit throws it for an HTTP answer. */
const answered = (status: number, message: string): Error =>
  Object.assign(new Error(`${message} - https://docs.github.com/rest`), { status, response: { status, headers: {}, data: { message } } });

describe("reading GitHub's refusals of a merge as Prow does", () => {
  it.each([
    [409, 'Head branch was modified. Review and try the merge again.', 'head-modified'],
    [405, 'Base branch was modified. Review and try the merge again.', 'base-modified'],
    [405, "You're not authorized to push to this branch. Visit https://docs.github.com/ for more information.", 'forbidden'],
    [405, 'Merge commits are not allowed on this repository.', 'forbidden'],
    [405, 'Required status check "ci" is expected.', 'unmergeable'],
    [422, 'Invalid merge method', 'failed'],
    [502, 'Server Error', 'failed'],
  ])('%i %s is %s', (status, message, kind) => {
    expect(classifyMergeError(answered(status, message))).toMatchObject({ kind, message });
  });

  it('gives an unmergeable PR Prow’s hint, and an error without an answer its own message', () => {
    expect(classifyMergeError(answered(405, 'Pull Request is not mergeable'))).toEqual({ kind: 'unmergeable', message: 'Pull Request is not mergeable', hint: unmergeableHint });
    expect(classifyMergeError(new Error('socket hang up'))).toEqual({ kind: 'failed', status: undefined, message: 'socket hang up' });
  });
});
