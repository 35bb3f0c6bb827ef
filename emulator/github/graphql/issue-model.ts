import type { EmulatorContext } from '../context.ts';
import { authorAssociation, issueLabels } from '../render/issue.ts';
import type { Issue, IssueComment, Label, Milestone, Repo } from '../state/types.ts';
import { accountModel } from './account-model.ts';
import { connection } from './connection.ts';
import { field, type Model } from './model.ts';
import { repositoryModel } from './repository-model.ts';

export function labelModel(emu: EmulatorContext, repo: Repo, l: Label): Model {
  const path = `/${emu.state.fullName(repo)}/labels/${encodeURIComponent(l.name)}`;
  return {
    __typename: 'Label',
    id: l.nodeId,
    name: l.name,
    color: l.color,
    description: l.description,
    isDefault: l.default,
    url: emu.urls.html(path),
    resourcePath: path,
    repository: () => repositoryModel(emu, repo),
  };
}

export function milestoneModel(emu: EmulatorContext, repo: Repo, m: Milestone): Model {
  const path = `/${emu.state.fullName(repo)}/milestone/${m.number}`;
  const creator = emu.state.accounts.get(m.creatorId);
  return {
    __typename: 'Milestone',
    id: m.nodeId,
    number: m.number,
    title: m.title,
    description: m.description,
    state: m.state.toUpperCase(),
    closed: m.state === 'closed',
    closedAt: m.closedAt,
    dueOn: m.dueOn,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    creator: creator ? accountModel(emu, creator) : null,
    url: emu.urls.html(path),
    resourcePath: path,
    repository: () => repositoryModel(emu, repo),
  };
}

function commentModel(emu: EmulatorContext, repo: Repo, c: IssueComment, issue: () => Model): Model {
  const path = `/${emu.state.fullName(repo)}/issues/${c.issueNumber}#issuecomment-${c.id}`;
  const author = emu.state.accounts.get(c.userId);
  return {
    __typename: 'IssueComment',
    id: c.nodeId,
    databaseId: c.id,
    body: c.body,
    bodyText: c.body,
    author: author ? accountModel(emu, author) : null,
    authorAssociation: authorAssociation(emu, c.userId, repo),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    url: emu.urls.html(path),
    resourcePath: path,
    issue,
    repository: () => repositoryModel(emu, repo),
  };
}

/**
 * The fields issues and pull requests share (author, labels, milestone, assignees, comments...); `self`
 * is the model they end up in, for back-references.
 */
export function issueFields(emu: EmulatorContext, repo: Repo, issue: Issue, self: () => Model): Record<string, unknown> {
  const { state } = emu;
  const kind = issue.isPull ? 'pull' : 'issues';
  const path = `/${state.fullName(repo)}/${kind}/${issue.number}`;
  const author = state.accounts.get(issue.userId);
  const milestone = issue.milestoneNumber === null ? undefined : repo.milestones.get(issue.milestoneNumber);
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    bodyText: issue.body ?? '',
    author: author ? accountModel(emu, author) : null,
    authorAssociation: authorAssociation(emu, issue.userId, repo),
    closed: issue.state === 'closed',
    closedAt: issue.closedAt,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    locked: issue.locked,
    activeLockReason: issue.activeLockReason === null ? null : issue.activeLockReason.toUpperCase().replace(/[ -]/g, '_'),
    url: emu.urls.html(path),
    resourcePath: path,
    repository: () => repositoryModel(emu, repo),
    milestone: milestone ? milestoneModel(emu, repo, milestone) : null,
    labels: field((args, _ctx, info) => connection(issueLabels(repo, issue), args, info, (l) => labelModel(emu, repo, l))),
    assignees: field((args, _ctx, info) =>
      connection(
        issue.assigneeIds.flatMap((id) => state.accounts.get(id) ?? []),
        args,
        info,
        (a) => accountModel(emu, a),
      ),
    ),
    comments: field((args, _ctx, info) =>
      connection(state.issueComments(repo.id, issue.number), args, info, (c) => commentModel(emu, repo, c, self)),
    ),
  };
}

/** GraphQL's `Issue` (for a PR's number, use `pullRequestModel`). */
export function issueModel(emu: EmulatorContext, repo: Repo, issue: Issue): Model {
  const model: Model = {
    __typename: 'Issue',
    id: issue.nodeId,
    databaseId: issue.id,
    state: issue.state.toUpperCase(),
    stateReason: issue.stateReason === null ? null : issue.stateReason.toUpperCase(),
    ...issueFields(emu, repo, issue, () => model),
  };
  return model;
}
