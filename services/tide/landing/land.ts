import { setTimeout as sleepFor } from 'node:timers/promises';
import type { GitHubClient } from '../../../lib/github/github-client.ts';
import { isRequestError } from '../../../lib/github/friendly-errors.ts';
import type { Logger } from '../../../lib/log.ts';
import { renderMergeTemplate } from './commit-message.ts';
import { classifyMergeError, githubMessage } from './merge-errors.ts';
import type { MergeCommitTemplate, TrainMember } from './types.ts';

/** How a green train reaches its base branch: the tested commit itself, or Tide's per-PR merges. */
export type LandingMode = 'fast-forward' | 'api';

/** A tested train to fast-forward the base to. */
export interface FastForwardRequest {
  org: string;
  repo: string;
  branch: string;
  /** The train's commit, exactly as tested. */
  sha: string;
  /** The PRs in the train (its own and those of the trains it was built on that have not landed). */
  members: readonly TrainMember[];
}

/** How a fast-forward went. */
export type FastForwardResult =
  | {
      kind: 'landed';
      sha: string;
      /** Merge-commit PRs: their heads are now in the base, so GitHub marks them merged itself. */
      mergedByGitHub: number[];
      /** Squash and rebase PRs: their heads are not in the base, so Tide closed them with a comment naming the commit. */
      closed: number[];
      /** PRs Tide could not comment on or close (the landing stands; GitHub's words for each). */
      closeFailures: { pull: number; message: string }[];
    }
  /** 422 not a fast forward: the base moved outside the queue; rebuild the trains on `baseSha`. */
  | { kind: 'base-moved'; sha: string; baseSha: string | undefined; message: string }
  /** GitHub refused the update for another reason (protected branch, unknown commit, no permission). */
  | { kind: 'refused'; status: number; message: string };

/** Why a squash or rebase PR was closed rather than merged, bors-style. */
export function landedComment(branch: string, sha: string, member: TrainMember): string {
  const how = member.method === 'squash' ? 'as one squashed commit' : 'with its commits replayed';
  return (
    `Tide landed this PR on \`${branch}\` ${how} in ${sha}, the commit its merge train was tested as. ` +
    'GitHub shows a PR merged only when its head commit is in the branch, so Tide closes it instead.'
  );
}

/**
 * Moves `branch` to exactly the tested train commit with `PATCH /git/refs/heads/{branch}` and `force: false`,
 * so the base never holds a state that was not tested. Merge-commit PRs become merged on GitHub because their
 * heads are now reachable from the base; squash and rebase PRs are closed with a comment naming the commit.
 */
export async function landFastForward(github: GitHubClient, req: FastForwardRequest, log?: Logger): Promise<FastForwardResult> {
  const gh = await github.forRepo(req.org, req.repo);
  const where = { owner: req.org, repo: req.repo };
  try {
    await gh.rest.git.updateRef({ ...where, ref: `heads/${req.branch}`, sha: req.sha, force: false });
  } catch (err) {
    if (!isRequestError(err) || ![403, 404, 409, 422].includes(err.status)) throw err;
    const message = githubMessage(err);
    if (err.status === 422 && /fast.?forward/i.test(message)) {
      let baseSha: string | undefined;
      try {
        baseSha = (await gh.rest.git.getRef({ ...where, ref: `heads/${req.branch}` })).data.object.sha;
      } catch {
        baseSha = undefined;
      }
      log?.info({ org: req.org, repo: req.repo, branch: req.branch, sha: req.sha, baseSha }, 'base moved: the train is not a fast-forward of it');
      return { kind: 'base-moved', sha: req.sha, baseSha, message };
    }
    log?.warn({ org: req.org, repo: req.repo, branch: req.branch, sha: req.sha, status: err.status, message }, 'GitHub refused to move the base to the train');
    return { kind: 'refused', status: err.status, message };
  }

  const mergedByGitHub: number[] = [];
  const closed: number[] = [];
  const closeFailures: { pull: number; message: string }[] = [];
  for (const member of req.members) {
    const { number } = member.pull;
    if (member.method === 'merge') {
      mergedByGitHub.push(number);
      continue;
    }
    try {
      await gh.rest.issues.createComment({ ...where, issue_number: number, body: landedComment(req.branch, req.sha, member) });
      await gh.rest.pulls.update({ ...where, pull_number: number, state: 'closed' });
      closed.push(number);
    } catch (err) {
      closeFailures.push({ pull: number, message: githubMessage(err) });
      log?.warn({ org: req.org, repo: req.repo, pull: number, message: githubMessage(err) }, 'landed PR could not be closed');
    }
  }
  log?.info({ org: req.org, repo: req.repo, branch: req.branch, sha: req.sha, mergedByGitHub, closed }, 'train landed');
  return { kind: 'landed', sha: req.sha, mergedByGitHub, closed, closeFailures };
}

/** PRs to merge one by one through GitHub's merge API. */
export interface ApiLandRequest {
  org: string;
  repo: string;
  /** In merge order; each merges at the head SHA Tide tested (`pull.headSha`). */
  members: readonly TrainMember[];
  /** The repo's `tide.merge_commit_template`: its title and body become `commit_title` and `commit_message`. */
  template?: MergeCommitTemplate | undefined;
}

/** How the API merges are paced. */
export interface ApiLandOptions {
  /** Pauses before each retry of a merge refused with "Base branch was modified": Prow's 4 s then 8 s (three tries). */
  baseModifiedRetryDelaysMs?: readonly number[] | undefined;
  /** Pause after a merge before the next PR, so GitHub recomputes mergeability: Prow's 5 s. */
  betweenMergesMs?: number | undefined;
  /** How to wait; tests pass one that does not. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  log?: Logger | undefined;
}

/** What happened to one PR of an API landing. */
export type ApiMergeOutcome =
  | { pull: number; kind: 'merged'; sha: string }
  | { pull: number; kind: 'head-modified'; message: string }
  | { pull: number; kind: 'base-modified'; message: string; attempts: number }
  | { pull: number; kind: 'unmergeable'; message: string; hint: string }
  | { pull: number; kind: 'forbidden'; message: string }
  | { pull: number; kind: 'failed'; status: number | undefined; message: string }
  /** After a `forbidden` answer the rest of the batch is not tried. */
  | { pull: number; kind: 'not-attempted' };

/** How an API landing went, one outcome per PR in order. */
export interface ApiLandResult {
  merged: number[];
  outcomes: ApiMergeOutcome[];
}

/** Prow's pauses between tries of a merge GitHub says raced a base change. */
export const prowBaseModifiedDelaysMs: readonly number[] = [4000, 8000];

/**
 * Merges PR by PR with `PUT /pulls/{n}/merge`, pinned to the tested head SHA, as Tide's mergePRs does: a
 * 409 skips that PR, "Base branch was modified" is retried with backoff, "not authorized to push" and
 * "Merge commits are not allowed" stop the rest, any other 405 is unmergeable with Prow's hint.
 */
export async function landViaApi(github: GitHubClient, req: ApiLandRequest, options: ApiLandOptions = {}): Promise<ApiLandResult> {
  const gh = await github.forRepo(req.org, req.repo);
  const delays = options.baseModifiedRetryDelaysMs ?? prowBaseModifiedDelaysMs;
  const between = options.betweenMergesMs ?? 5000;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms).then(() => undefined));
  const merged: number[] = [];
  const outcomes: ApiMergeOutcome[] = [];
  let stopped = false;

  for (const [i, member] of req.members.entries()) {
    const { pull } = member;
    if (stopped) {
      outcomes.push({ pull: pull.number, kind: 'not-attempted' });
      continue;
    }
    const rendered = renderMergeTemplate(req.template, pull);
    const body = {
      owner: req.org,
      repo: req.repo,
      pull_number: pull.number,
      sha: pull.headSha,
      merge_method: member.method,
      ...(rendered.title === undefined ? {} : { commit_title: rendered.title }),
      ...(rendered.body === undefined ? {} : { commit_message: rendered.body }),
    };
    let outcome: ApiMergeOutcome | undefined;
    for (let attempt = 1; outcome === undefined; attempt++) {
      try {
        const { data } = await gh.rest.pulls.merge(body);
        outcome = { pull: pull.number, kind: 'merged', sha: data.sha };
      } catch (err) {
        const refusal = classifyMergeError(err);
        const delay = delays[attempt - 1];
        if (refusal.kind === 'base-modified' && delay !== undefined) {
          options.log?.info({ org: req.org, repo: req.repo, pull: pull.number, attempt, delayMs: delay }, 'base branch was modified; retrying the merge');
          await sleep(delay);
          continue;
        }
        outcome = refusal.kind === 'base-modified' ? { pull: pull.number, ...refusal, attempts: attempt } : { pull: pull.number, ...refusal };
      }
    }
    outcomes.push(outcome);
    if (outcome.kind === 'merged') {
      merged.push(pull.number);
      if (i + 1 < req.members.length && between > 0) await sleep(between);
    } else {
      options.log?.warn({ org: req.org, repo: req.repo, pull: pull.number, outcome: outcome.kind }, 'PR not merged');
    }
    if (outcome.kind === 'forbidden') stopped = true;
  }
  return { merged, outcomes };
}

/** One landing, in either mode. */
export type LandRequest = ({ mode: 'fast-forward' } & FastForwardRequest) | ({ mode: 'api' } & ApiLandRequest);

/** How a landing went, by mode. */
export type LandResult = ({ mode: 'fast-forward' } & FastForwardResult) | ({ mode: 'api' } & ApiLandResult);

/** Lands a green train the configured way. */
export async function landTrain(github: GitHubClient, req: LandRequest, options: ApiLandOptions = {}): Promise<LandResult> {
  if (req.mode === 'fast-forward') return { mode: 'fast-forward', ...(await landFastForward(github, req, options.log)) };
  return { mode: 'api', ...(await landViaApi(github, req, options)) };
}
