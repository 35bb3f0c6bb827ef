import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';
import { hasStatus } from './request-status.ts';

/**
 * Whether `login` is a collaborator on `org/repo`, as Prow's IsCollaborator: GitHub answers 204 for anyone
 * with access (outside collaborators, org members through the base permission or a team, owners), 404 otherwise.
 * Other failures are thrown, so an outage retries the delivery instead of refusing a collaborator.
 */
export async function isCollaborator(github: ProwOctokit, org: string, repo: string, login: string): Promise<boolean> {
  try {
    await github.rest.repos.checkCollaborator({ owner: org, repo, username: login });
    return true;
  } catch (err) {
    if (hasStatus(err, 404)) return false;
    throw err;
  }
}
