import { GitHubError } from '../http/github-error.ts';

/**
 * A 422 whose `errors` GitHub writes in a shape FieldError does not cover: plain strings (reviews) or
 * `custom` entries without a field (pull requests).
 */
export class UnprocessableError extends GitHubError {
  readonly entries: unknown[];

  constructor(message: string, entries: unknown[]) {
    super(422, message);
    this.entries = entries;
  }

  override body(): Record<string, unknown> {
    return { message: this.message, ...(this.entries.length > 0 ? { errors: this.entries } : {}), documentation_url: this.documentationUrl, status: String(this.status) };
  }
}

/** GitHub's 422 for a pull request it refuses with a sentence (`No commits between main and topic`). */
export function pullRequestRefused(message: string): UnprocessableError {
  return new UnprocessableError('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message }]);
}
