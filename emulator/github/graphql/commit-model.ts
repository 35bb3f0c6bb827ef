import type { EmulatorContext } from '../context.ts';
import type { GitCommitInfo, GitIdentity } from '../git/types.ts';
import { nodeId } from '../state/node-id.ts';
import type { CheckRun, CommitStatus, Repo } from '../state/types.ts';
import { accountModel } from './account-model.ts';
import { combinedStatusState, latestCheckRuns, latestStatuses, rollupState } from './commit-checks.ts';
import { connection } from './connection.ts';
import { field, notFoundError, stringArg, type Model } from './model.ts';
import { repositoryModel } from './repository-model.ts';

function statusContextModel(emu: EmulatorContext, s: CommitStatus, commit: () => Model): Model {
  const creator = emu.state.accounts.get(s.creatorId);
  return {
    __typename: 'StatusContext',
    id: s.nodeId,
    context: s.context,
    state: s.state.toUpperCase(),
    description: s.description,
    targetUrl: s.targetUrl,
    createdAt: s.createdAt,
    creator: creator ? accountModel(emu, creator) : null,
    avatarUrl: creator ? emu.urls.html(`/avatars/u/${creator.id}`) : null,
    // No branch protection in the emulator: nothing is required.
    isRequired: false,
    commit,
  };
}

function checkRunModel(emu: EmulatorContext, repo: Repo, c: CheckRun): Model {
  const url = emu.urls.html(`/${emu.state.fullName(repo)}/runs/${c.id}`);
  return {
    __typename: 'CheckRun',
    id: c.nodeId,
    databaseId: c.id,
    name: c.name,
    status: c.status.toUpperCase(),
    conclusion: c.conclusion === null ? null : c.conclusion.toUpperCase(),
    detailsUrl: c.detailsUrl,
    externalId: c.externalId,
    startedAt: c.startedAt,
    completedAt: c.completedAt,
    title: c.output.title,
    summary: c.output.summary,
    text: c.output.text,
    url,
    permalink: url,
    resourcePath: new URL(url).pathname,
    isRequired: false,
    repository: () => repositoryModel(emu, repo),
  };
}

function gitActor(emu: EmulatorContext, who: GitIdentity & { date: string }): Model {
  const email = who.email.toLowerCase();
  const user = [...emu.state.accounts.values()].find((a) => a.email?.toLowerCase() === email);
  return {
    __typename: 'GitActor',
    name: who.name,
    email: who.email,
    date: who.date,
    avatarUrl: emu.urls.html(`/avatars/e/${encodeURIComponent(who.email)}`),
    user: user ? accountModel(emu, user) : null,
  };
}

/**
 * GraphQL's `Commit` at `sha` in a repo: statuses and check runs come from the state, the message,
 * dates and parents from git (read once, on first use; `known` skips the read).
 */
export function commitModel(emu: EmulatorContext, repo: Repo, sha: string, known?: GitCommitInfo): Model {
  const full = emu.state.fullName(repo);
  const owner = emu.state.account(repo.ownerId).login;
  let details: Promise<GitCommitInfo> | undefined = known ? Promise.resolve(known) : undefined;
  const git = (): Promise<GitCommitInfo> => {
    details ??= emu.git.commit(owner, repo.name, sha).then((c) => {
      if (!c) throw notFoundError(`Could not resolve to a Commit with the oid of '${sha}'.`);
      return c;
    });
    return details;
  };
  const self = (): Model => model;
  const model: Model = {
    __typename: 'Commit',
    id: Buffer.from(`06:Commit${repo.id}:${sha}`).toString('base64'),
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    url: emu.urls.html(`/${full}/commit/${sha}`),
    commitUrl: emu.urls.html(`/${full}/commit/${sha}`),
    resourcePath: `/${full}/commit/${sha}`,
    repository: () => repositoryModel(emu, repo),
    status: () => {
      const statuses = latestStatuses(emu.state, repo.id, sha);
      if (statuses.length === 0) return null;
      const contexts = statuses.map((s) => statusContextModel(emu, s, self));
      return {
        __typename: 'Status',
        id: nodeId('Status', statuses[0]?.id ?? 0),
        state: combinedStatusState(statuses),
        contexts,
        context: field((args) => contexts.find((c) => c.context === stringArg(args, 'name')) ?? null),
        commit: self,
      };
    },
    statusCheckRollup: () => {
      const statuses = latestStatuses(emu.state, repo.id, sha);
      const checks = latestCheckRuns(emu.state, repo.id, sha);
      if (statuses.length === 0 && checks.length === 0) return null;
      const contexts = [...checks.map((c) => checkRunModel(emu, repo, c)), ...statuses.map((s) => statusContextModel(emu, s, self))];
      return {
        __typename: 'StatusCheckRollup',
        id: Buffer.from(`StatusCheckRollup:${repo.id}:${sha}`).toString('base64'),
        state: rollupState(statuses, checks),
        commit: self,
        contexts: field((args, _ctx, info) => connection(contexts, args, info, (c) => c)),
      };
    },
    message: async () => (await git()).message,
    messageHeadline: async () => (await git()).message.split('\n')[0] ?? '',
    messageBody: async () => (await git()).message.split('\n').slice(1).join('\n').trim(),
    authoredDate: async () => (await git()).author.date,
    committedDate: async () => (await git()).committer.date,
    author: async () => gitActor(emu, (await git()).author),
    committer: async () => gitActor(emu, (await git()).committer),
    parents: field(async (args, _ctx, info) => connection((await git()).parents, args, info, (p) => commitModel(emu, repo, p))),
  };
  return model;
}
