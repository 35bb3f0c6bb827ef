import { ProwError } from '../errors.ts';
import type { GitHubClient } from './github-client.ts';

/** Who prow-ts is on GitHub, as found by `checkGitHub`. */
export type GitHubIdentity =
  | { kind: 'token'; login: string }
  | { kind: 'app'; id: number; slug: string; name: string }
  | { kind: 'none' };

/**
 * The startup check services run before serving: proves GitHub answers and the credentials work, and says
 * who we are (GET /user for a token, GET /app for an App, GET /rate_limit without credentials). Failures
 * are the client's coded errors: PROW_ERR_GITHUB_UNREACHABLE or PROW_ERR_GITHUB_AUTH.
 */
export async function checkGitHub(client: GitHubClient): Promise<GitHubIdentity> {
  const { octokit } = client;
  switch (client.kind) {
    case 'token': {
      const { data } = await octokit.rest.users.getAuthenticated();
      return { kind: 'token', login: data.login };
    }
    case 'app': {
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data) {
        throw new ProwError('PROW_ERR_GITHUB_AUTH', 'GET /app named no App; check GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY.');
      }
      return { kind: 'app', id: data.id, slug: data.slug ?? String(data.id), name: data.name };
    }
    case 'none':
      await octokit.rest.rateLimit.get();
      return { kind: 'none' };
  }
}
