import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';

interface IssueRef {
  owner: string;
  repo: string;
  number: number;
}

/**
 * Assigns `logins` and returns the ones GitHub left out. GitHub answers 201 even when it skips users who
 * cannot be assigned (or beyond ten assignees), so the answer's assignees are compared with the request,
 * as Prow's AssignIssue does.
 */
export async function assignUsers(github: ProwOctokit, ref: IssueRef, logins: string[]): Promise<string[]> {
  const { data } = await github.rest.issues.addAssignees({ owner: ref.owner, repo: ref.repo, issue_number: ref.number, assignees: logins });
  const assigned = new Set((data.assignees ?? []).map((a) => a.login.toLowerCase()));
  return logins.filter((login) => !assigned.has(login.toLowerCase()));
}

/** Unassigns `logins`; GitHub ignores those who were not assigned. */
export async function unassignUsers(github: ProwOctokit, ref: IssueRef, logins: string[]): Promise<void> {
  await github.rest.issues.removeAssignees({ owner: ref.owner, repo: ref.repo, issue_number: ref.number, assignees: logins });
}
