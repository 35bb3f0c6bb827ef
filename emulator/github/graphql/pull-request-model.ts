import type { EmulatorContext } from '../context.ts';
import type { GitComparison, GitFileChange } from '../git/types.ts';
import { authorAssociation } from '../render/issue.ts';
import type { PullRequest, Repo, Review } from '../state/types.ts';
import { accountModel } from './account-model.ts';
import { latestCheckRuns, latestStatuses, pullReviews, reviewDecision, rollupState } from './commit-checks.ts';
import { commitModel } from './commit-model.ts';
import { connection } from './connection.ts';
import type { GqlContext } from './graphql-context.ts';
import { issueFields } from './issue-model.ts';
import { field, listArg, type Model } from './model.ts';
import { branchRef, repositoryModel } from './repository-model.ts';

/** `PullRequestState` of a PR: MERGED wins over CLOSED. */
export function pullState(repo: Repo, pull: PullRequest): 'OPEN' | 'CLOSED' | 'MERGED' {
  if (pull.merged) return 'MERGED';
  return repo.issues.get(pull.number)?.state === 'closed' ? 'CLOSED' : 'OPEN';
}

const changeTypes: Record<GitFileChange['status'], string> = {
  added: 'ADDED',
  removed: 'DELETED',
  modified: 'MODIFIED',
  renamed: 'RENAMED',
  copied: 'COPIED',
  changed: 'CHANGED',
  unchanged: 'MODIFIED',
};

function reviewModel(emu: EmulatorContext, repo: Repo, r: Review, pull: () => Model): Model {
  const author = emu.state.accounts.get(r.userId);
  const path = `/${emu.state.fullName(repo)}/pull/${r.pullNumber}#pullrequestreview-${r.id}`;
  return {
    __typename: 'PullRequestReview',
    id: r.nodeId,
    databaseId: r.id,
    state: r.state,
    body: r.body,
    bodyText: r.body,
    author: author ? accountModel(emu, author) : null,
    authorAssociation: authorAssociation(emu, r.userId, repo),
    submittedAt: r.submittedAt,
    publishedAt: r.submittedAt,
    createdAt: r.submittedAt,
    updatedAt: r.submittedAt,
    commit: () => commitModel(emu, repo, r.commitId),
    url: emu.urls.html(path),
    resourcePath: path,
    pullRequest: pull,
    repository: () => repositoryModel(emu, repo),
  };
}

/**
 * GraphQL's `PullRequest`. Git answers (mergeability, commits, the base tip) are computed on first use
 * and shared by the fields of one model; mergeability is cached per (base, head) across requests.
 */
export function pullRequestModel(emu: EmulatorContext, repo: Repo, pull: PullRequest): Model {
  const { state } = emu;
  const issue = repo.issues.get(pull.number);
  if (!issue) throw new Error(`pull ${pull.number} has no issue`);
  const owner = state.account(repo.ownerId).login;
  const headRepo = state.repos.get(pull.head.repoId) ?? repo;
  const open = issue.state === 'open' && !pull.merged;

  let baseTip: Promise<string> | undefined;
  /** The commit the PR is compared with: the base branch's tip while open, the recorded base after. */
  const baseSha = (): Promise<string> => {
    baseTip ??= open
      ? emu.git.resolve(owner, repo.name, `refs/heads/${pull.base.ref}`).then((sha) => sha ?? pull.base.sha)
      : Promise.resolve(pull.base.sha);
    return baseTip;
  };
  let comparison: Promise<GitComparison | undefined> | undefined;
  const compare = (): Promise<GitComparison | undefined> => {
    comparison ??= baseSha().then(
      (base) => emu.git.compare(owner, repo.name, base, pull.head.sha),
      () => undefined,
    );
    return comparison;
  };
  let mergeability: Promise<'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN'> | undefined;
  const mergeable = (ctx: GqlContext): Promise<'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN'> => {
    // GitHub stops computing mergeability once a PR is closed or merged.
    mergeability ??= open
      ? baseSha()
          .then((base) => ctx.mergeability.mergeable(owner, repo.name, base, pull.head.sha))
          .then(
            (ok) => (ok ? 'MERGEABLE' : 'CONFLICTING'),
            () => 'UNKNOWN' as const,
          )
      : Promise.resolve('UNKNOWN');
    return mergeability;
  };
  const fileStat = async (pick: (c: GitComparison) => number): Promise<number> => {
    const c = await compare();
    return c ? pick(c) : 0;
  };

  const model: Model = {
    __typename: 'PullRequest',
    id: pull.nodeId,
    databaseId: pull.id,
    state: pullState(repo, pull),
    merged: pull.merged,
    mergedAt: pull.mergedAt,
    mergedBy: pull.mergedById === null ? null : accountModel(emu, state.account(pull.mergedById)),
    mergeCommit: pull.mergeCommitSha === null ? null : commitModel(emu, repo, pull.mergeCommitSha),
    isDraft: pull.draft,
    maintainerCanModify: pull.maintainerCanModify,
    isCrossRepository: headRepo.id !== repo.id,
    permalink: emu.urls.html(`/${state.fullName(repo)}/pull/${pull.number}`),
    ...issueFields(emu, repo, issue, () => model),
    baseRefName: pull.base.ref,
    headRefName: pull.head.ref,
    headRefOid: pull.head.sha,
    baseRefOid: baseSha,
    baseRef: () => branchRef(emu, repo, pull.base.ref),
    headRef: () => branchRef(emu, headRepo, pull.head.ref),
    baseRepository: () => repositoryModel(emu, repo),
    headRepository: () => repositoryModel(emu, headRepo),
    headRepositoryOwner: () => accountModel(emu, state.account(headRepo.ownerId)),
    mergeable: field((_args, ctx) => mergeable(ctx)),
    canBeRebased: field(async (_args, ctx) => repo.allowRebaseMerge && (await mergeable(ctx)) === 'MERGEABLE'),
    mergeStateStatus: field(async (_args, ctx) => {
      if (pull.draft) return 'DRAFT';
      const m = await mergeable(ctx);
      if (m === 'CONFLICTING') return 'DIRTY';
      if (m === 'UNKNOWN') return 'UNKNOWN';
      const rollup = rollupState(latestStatuses(state, repo.id, pull.head.sha), latestCheckRuns(state, repo.id, pull.head.sha));
      return rollup === 'SUCCESS' ? 'CLEAN' : 'UNSTABLE';
    }),
    reviewDecision: reviewDecision(state, repo.id, pull.number),
    additions: () => fileStat((c) => c.files.reduce((n, f) => n + f.additions, 0)),
    deletions: () => fileStat((c) => c.files.reduce((n, f) => n + f.deletions, 0)),
    changedFiles: () => fileStat((c) => c.files.length),
    files: field(async (args, _ctx, info) =>
      connection((await compare())?.files ?? [], args, info, (f) => ({
        __typename: 'PullRequestChangedFile',
        path: f.filename,
        additions: f.additions,
        deletions: f.deletions,
        changeType: changeTypes[f.status],
      })),
    ),
    commits: field(async (args, _ctx, info) => {
      const commits = (await compare())?.commits ?? [];
      return connection(commits, args, info, (c) => ({
        __typename: 'PullRequestCommit',
        id: Buffer.from(`PullRequestCommit:${pull.id}:${c.sha}`).toString('base64'),
        commit: commitModel(emu, repo, c.sha, c),
        url: emu.urls.html(`/${state.fullName(repo)}/pull/${pull.number}/commits/${c.sha}`),
        resourcePath: `/${state.fullName(repo)}/pull/${pull.number}/commits/${c.sha}`,
        pullRequest: () => model,
      }));
    }),
    reviews: field((args, _ctx, info) => {
      const states = listArg(args, 'states');
      const reviews = pullReviews(state, repo.id, pull.number).filter((r) => !states || states.includes(r.state));
      return connection(reviews, args, info, (r) => reviewModel(emu, repo, r, () => model));
    }),
    latestReviews: field((args, _ctx, info) => {
      const latest = new Map<number, Review>();
      for (const r of pullReviews(state, repo.id, pull.number)) latest.set(r.userId, r);
      return connection([...latest.values()], args, info, (r) => reviewModel(emu, repo, r, () => model));
    }),
  };
  return model;
}
