import { isRequestError } from '../../lib/github/friendly-errors.ts';

/** True when `err` is GitHub answering with HTTP `status` (404, 422...), as Octokit reports it. */
export function hasStatus(err: unknown, status: number): boolean {
  return isRequestError(err) && err.status === status;
}
