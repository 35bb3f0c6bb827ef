import { decodeNodeId } from '../state/node-id.ts';
import { actorPermission, atLeast } from '../state/permissions.ts';
import type { Repo } from '../state/types.ts';
import { accountModel } from './account-model.ts';
import type { GqlContext } from './graphql-context.ts';
import { issueModel, labelModel, milestoneModel } from './issue-model.ts';
import type { Model } from './model.ts';
import { pullRequestModel } from './pull-request-model.ts';
import { repositoryModel } from './repository-model.ts';

/** Finds the first repo (the caller can read) where `pick` finds something. */
function inRepos(ctx: GqlContext, pick: (repo: Repo) => Model | undefined): Model | undefined {
  for (const repo of ctx.emu.state.repos.values()) {
    if (!atLeast(actorPermission(ctx.emu.state, ctx.actor, repo, 'metadata'), 'read')) continue;
    const found = pick(repo);
    if (found) return found;
  }
  return undefined;
}

/**
 * The object behind a global node id (core's `nodeId` scheme): pull requests (by the PR's or its issue
 * half's id), issues, repositories, accounts, labels and milestones. Undefined for ids it cannot place
 * and for things the caller cannot see.
 */
export function lookupNode(ctx: GqlContext, id: string): Model | undefined {
  const decoded = decodeNodeId(id);
  if (!decoded) return undefined;
  const { emu } = ctx;
  switch (decoded.type) {
    case 'Repository':
      return inRepos(ctx, (repo) => (repo.id === decoded.id ? repositoryModel(emu, repo) : undefined));
    case 'PullRequest':
      return inRepos(ctx, (repo) => {
        for (const pull of repo.pulls.values()) {
          if (pull.id === decoded.id || repo.issues.get(pull.number)?.id === decoded.id) return pullRequestModel(emu, repo, pull);
        }
        return undefined;
      });
    case 'Issue':
      return inRepos(ctx, (repo) => {
        for (const issue of repo.issues.values()) if (issue.id === decoded.id && !issue.isPull) return issueModel(emu, repo, issue);
        return undefined;
      });
    case 'Label':
      return inRepos(ctx, (repo) => {
        for (const label of repo.labels.values()) if (label.id === decoded.id) return labelModel(emu, repo, label);
        return undefined;
      });
    case 'Milestone':
      return inRepos(ctx, (repo) => {
        for (const m of repo.milestones.values()) if (m.id === decoded.id) return milestoneModel(emu, repo, m);
        return undefined;
      });
    case 'User':
    case 'Bot':
    case 'Organization': {
      const account = emu.state.accounts.get(decoded.id);
      return account?.nodeId === id ? accountModel(emu, account) : undefined;
    }
    default:
      return undefined;
  }
}
