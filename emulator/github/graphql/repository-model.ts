import type { EmulatorContext } from '../context.ts';
import { issueLabels } from '../render/issue.ts';
import { actorPermission, atLeast } from '../state/permissions.ts';
import type { Issue, Repo } from '../state/types.ts';
import { accountModel } from './account-model.ts';
import { commitModel } from './commit-model.ts';
import { connection } from './connection.ts';
import type { GqlContext } from './graphql-context.ts';
import { issueModel, labelModel, milestoneModel } from './issue-model.ts';
import { field, intArg, listArg, notFoundError, stringArg, type Args, type Model } from './model.ts';
import { pullRequestModel, pullState } from './pull-request-model.ts';

/** A repo the caller may read, as a model; undefined when it does not exist or is hidden from them. */
export function readableRepo(ctx: GqlContext, owner: string, name: string): Model | undefined {
  const repo = ctx.emu.state.repoByName(owner, name);
  if (!repo || !atLeast(actorPermission(ctx.emu.state, ctx.actor, repo, 'metadata'), 'read')) return undefined;
  return repositoryModel(ctx.emu, repo);
}

/** A branch as GraphQL's `Ref` (`refs/heads/<name>`), pointing at `sha`. */
export function refModel(emu: EmulatorContext, repo: Repo, name: string, sha: string): Model {
  return {
    __typename: 'Ref',
    id: Buffer.from(`Ref:${repo.id}:refs/heads/${name}`).toString('base64'),
    name,
    prefix: 'refs/heads/',
    repository: () => repositoryModel(emu, repo),
    target: () => commitModel(emu, repo, sha),
  };
}

/** The branch `name` of a repo as a `Ref`, or null when git has no such branch. */
export async function branchRef(emu: EmulatorContext, repo: Repo, name: string): Promise<Model | null> {
  const owner = emu.state.account(repo.ownerId).login;
  const sha = await emu.git.resolve(owner, repo.name, `refs/heads/${name}`);
  return sha === undefined ? null : refModel(emu, repo, name, sha);
}

function withLabels(repo: Repo, issues: Issue[], args: Args): Issue[] {
  const labels = listArg(args, 'labels')?.map((l) => l.toLowerCase());
  if (!labels) return issues;
  return issues.filter((i) => issueLabels(repo, i).some((l) => labels.includes(l.name.toLowerCase())));
}

const permissionNames = { admin: 'ADMIN', maintain: 'MAINTAIN', write: 'WRITE', triage: 'TRIAGE', read: 'READ', none: null } as const;

/** GraphQL's `Repository`. */
export function repositoryModel(emu: EmulatorContext, repo: Repo): Model {
  const { state } = emu;
  const owner = state.account(repo.ownerId);
  const full = `${owner.login}/${repo.name}`;
  const issueOrPull = (number: number): Model | undefined => {
    const issue = repo.issues.get(number);
    if (!issue) return undefined;
    const pull = issue.isPull ? repo.pulls.get(number) : undefined;
    return pull ? pullRequestModel(emu, repo, pull) : issueModel(emu, repo, issue);
  };
  return {
    __typename: 'Repository',
    id: repo.nodeId,
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: full,
    owner: accountModel(emu, owner),
    description: repo.description,
    isPrivate: repo.private,
    isArchived: repo.archived,
    isFork: false,
    isTemplate: false,
    isDisabled: false,
    isEmpty: false,
    visibility: repo.private ? 'PRIVATE' : 'PUBLIC',
    url: emu.urls.html(`/${full}`),
    resourcePath: `/${full}`,
    sshUrl: emu.urls.git(owner.login, repo.name),
    createdAt: repo.createdAt,
    updatedAt: repo.updatedAt,
    pushedAt: repo.pushedAt,
    mergeCommitAllowed: repo.allowMergeCommit,
    squashMergeAllowed: repo.allowSquashMerge,
    rebaseMergeAllowed: repo.allowRebaseMerge,
    deleteBranchOnMerge: repo.deleteBranchOnMerge,
    viewerPermission: field((_args, ctx) => permissionNames[actorPermission(state, ctx.actor, repo, 'metadata')]),
    defaultBranchRef: () => branchRef(emu, repo, repo.defaultBranch),
    ref: field((args) => branchRef(emu, repo, (stringArg(args, 'qualifiedName') ?? '').replace(/^refs\/heads\//, ''))),
    pullRequest: field((args) => {
      const number = intArg(args, 'number') ?? 0;
      const pull = repo.pulls.get(number);
      if (!pull) throw notFoundError(`Could not resolve to a PullRequest with the number of ${number}.`);
      return pullRequestModel(emu, repo, pull);
    }),
    issue: field((args) => {
      const number = intArg(args, 'number') ?? 0;
      const issue = repo.issues.get(number);
      if (!issue || issue.isPull) throw notFoundError(`Could not resolve to an Issue with the number of ${number}.`);
      return issueModel(emu, repo, issue);
    }),
    issueOrPullRequest: field((args) => {
      const number = intArg(args, 'number') ?? 0;
      const found = issueOrPull(number);
      if (!found) throw notFoundError(`Could not resolve to an issue or pull request with the number of ${number}.`);
      return found;
    }),
    pullRequests: field((args, _ctx, info) => {
      const states = listArg(args, 'states');
      const base = stringArg(args, 'baseRefName');
      const head = stringArg(args, 'headRefName');
      const pulls = [...repo.pulls.values()].filter(
        (p) =>
          (!states || states.includes(pullState(repo, p))) && (base === undefined || p.base.ref === base) && (head === undefined || p.head.ref === head),
      );
      const issues = withLabels(repo, pulls.flatMap((p) => repo.issues.get(p.number) ?? []), args);
      return connection(issues, args, info, (i) => issueOrPull(i.number));
    }),
    issues: field((args, _ctx, info) => {
      const states = listArg(args, 'states');
      const issues = [...repo.issues.values()].filter((i) => !i.isPull && (!states || states.includes(i.state.toUpperCase())));
      return connection(withLabels(repo, issues, args), args, info, (i) => issueModel(emu, repo, i));
    }),
    labels: field((args, _ctx, info) => {
      const q = stringArg(args, 'query')?.toLowerCase();
      const labels = [...repo.labels.values()].filter((l) => q === undefined || l.name.toLowerCase().includes(q));
      return connection(labels, args, info, (l) => labelModel(emu, repo, l));
    }),
    label: field((args) => {
      const label = repo.labels.get((stringArg(args, 'name') ?? '').toLowerCase());
      return label ? labelModel(emu, repo, label) : null;
    }),
    milestone: field((args) => {
      const m = repo.milestones.get(intArg(args, 'number') ?? 0);
      return m ? milestoneModel(emu, repo, m) : null;
    }),
    milestones: field((args, _ctx, info) => {
      const states = listArg(args, 'states');
      const list = [...repo.milestones.values()].filter((m) => !states || states.includes(m.state.toUpperCase()));
      return connection(list, args, info, (m) => milestoneModel(emu, repo, m));
    }),
  };
}
