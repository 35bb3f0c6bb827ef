import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';
import { hasStatus } from './request-status.ts';

/** Whether `login` is a member of `org` (GitHub answers 204 for members, 404 otherwise). */
export async function isOrgMember(github: ProwOctokit, org: string, login: string): Promise<boolean> {
  try {
    await github.rest.orgs.checkMembershipForUser({ org, username: login });
    return true;
  } catch (err) {
    if (hasStatus(err, 404) || hasStatus(err, 302)) return false;
    throw err;
  }
}

/** Whether `login` is an active member (or maintainer) of the team `org/teamSlug`, as Prow's TeamBySlugHasMember. */
export async function isTeamMember(github: ProwOctokit, org: string, teamSlug: string, login: string): Promise<boolean> {
  try {
    const { data } = await github.rest.teams.getMembershipForUserInOrg({ org, team_slug: teamSlug, username: login });
    return data.state === 'active';
  } catch (err) {
    if (hasStatus(err, 404)) return false;
    throw err;
  }
}
