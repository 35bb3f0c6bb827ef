import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';
import { hasStatus } from '../shared/request-status.ts';

interface PullRef {
  owner: string;
  repo: string;
  number: number;
}

interface ReviewersBody {
  reviewers: string[];
  /** Team slugs with the target as written, to name it back in a reply. */
  teams: { slug: string; login: string }[];
  /** `org/team` targets of another org, which GitHub cannot ask. */
  foreign: string[];
}

/** Splits targets into users and teams (`org/team`, only of the repo's own org), as Prow's request body. */
function reviewersBody(org: string, logins: string[]): ReviewersBody {
  const body: ReviewersBody = { reviewers: [], teams: [], foreign: [] };
  for (const login of logins) {
    const slash = login.indexOf('/');
    if (slash < 0) body.reviewers.push(login);
    else if (login.slice(0, slash).toLowerCase() === org.toLowerCase()) body.teams.push({ slug: login.slice(slash + 1), login });
    else body.foreign.push(login);
  }
  return body;
}

/**
 * Requests reviews from users and teams and returns those GitHub refused. GitHub refuses the whole
 * request with 422 when one target is not a collaborator (or is the author), so on 422 each target is
 * asked alone to learn which ones failed, as Prow's RequestReview does.
 */
export async function requestReviews(github: ProwOctokit, ref: PullRef, logins: string[]): Promise<string[]> {
  const body = reviewersBody(ref.owner, logins);
  const ask = async (reviewers: string[], teamReviewers: string[]): Promise<boolean> => {
    try {
      await github.rest.pulls.requestReviewers({
        owner: ref.owner,
        repo: ref.repo,
        pull_number: ref.number,
        reviewers,
        team_reviewers: teamReviewers,
      });
      return true;
    } catch (err) {
      if (hasStatus(err, 422)) return false;
      throw err;
    }
  };
  if (body.reviewers.length + body.teams.length === 0) return body.foreign;
  if (await ask(body.reviewers, body.teams.map((t) => t.slug))) return body.foreign;
  const missing: string[] = [];
  for (const user of body.reviewers) if (!(await ask([user], []))) missing.push(user);
  for (const team of body.teams) if (!(await ask([], [team.slug]))) missing.push(team.login);
  return [...missing, ...body.foreign];
}

/** Withdraws review requests from users and teams; targets that were not requested are ignored by GitHub. */
export async function unrequestReviews(github: ProwOctokit, ref: PullRef, logins: string[]): Promise<void> {
  const body = reviewersBody(ref.owner, logins);
  if (body.reviewers.length + body.teams.length === 0) return;
  await github.rest.pulls.removeRequestedReviewers({
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.number,
    reviewers: body.reviewers,
    team_reviewers: body.teams.map((t) => t.slug),
  });
}
