import type { GitHubClient } from '../../lib/github/github-client.ts';
import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';

/** What the policy tools need to know of a repository to decide whether they may change it. */
export interface OrgRepo {
  name: string;
  archived: boolean;
  private: boolean;
}

/** An Octokit allowed to act on the whole of `org`: its installation's for an App, the default one otherwise. */
export async function forOrg(github: GitHubClient, org: string): Promise<ProwOctokit> {
  if (github.kind !== 'app') return github.octokit;
  const { data } = await github.octokit.rest.apps.getOrgInstallation({ org });
  return github.forInstallation(data.id);
}

/** Every repository of `org`, archived ones included (callers decide), in GitHub's order. */
export async function listOrgRepos(github: GitHubClient, org: string): Promise<OrgRepo[]> {
  const gh = await forOrg(github, org);
  const repos = await gh.paginate(gh.rest.repos.listForOrg, { org, type: 'all', per_page: 100 });
  return repos.map((r) => ({ name: r.name, archived: r.archived ?? false, private: r.private }));
}
