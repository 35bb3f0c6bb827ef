import { isRequestError } from '../../../lib/github/friendly-errors.ts';

/** Prow's hint for a PR GitHub refuses to merge for a reason Tide did not foresee. */
export const unmergeableHint = 'Do the Tide merge requirements match the GitHub settings for the repo?';

/** What a refused `PUT /pulls/{n}/merge` means, as Prow's GitHub client reads GitHub's answer. */
export type MergeRefusal =
  /** 409: the head is no longer the SHA Tide tested; that PR is skipped. */
  | { kind: 'head-modified'; message: string }
  /** 405 "Base branch was modified": GitHub had not caught up; worth retrying after a pause. */
  | { kind: 'base-modified'; message: string }
  /** 405 "not authorized to push" or "Merge commits are not allowed": no later PR would merge either. */
  | { kind: 'forbidden'; message: string }
  /** Any other 405: GitHub's merge requirements differ from Tide's. */
  | { kind: 'unmergeable'; message: string; hint: string }
  /** Anything else (a 422 for a bad method, a 5xx after retries, no answer). */
  | { kind: 'failed'; status: number | undefined; message: string };

/** GitHub's own words: the body's `message` when there is one, else the error's. */
export function githubMessage(err: unknown): string {
  if (isRequestError(err)) {
    const data = err.response?.data;
    if (typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string') return (data as { message: string }).message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Classifies a failed merge request. */
export function classifyMergeError(err: unknown): MergeRefusal {
  const message = githubMessage(err);
  const status = isRequestError(err) ? err.status : undefined;
  if (status === 409) return { kind: 'head-modified', message };
  if (status === 405) {
    if (/base branch was modified/i.test(message)) return { kind: 'base-modified', message };
    if (/not authorized to push/i.test(message) || /merge commits are not allowed/i.test(message)) return { kind: 'forbidden', message };
    return { kind: 'unmergeable', message, hint: unmergeableHint };
  }
  return { kind: 'failed', status, message };
}
