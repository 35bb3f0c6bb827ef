import type { EmulatorContext } from '../context.ts';
import { isoNow } from '../state/state.ts';
import type { Hook, Repo } from '../state/types.ts';
import { accountOrThrow } from './account-operations.ts';
import { ControlError } from './control-error.ts';
import type { AddWebhookInput, CommitFilesInput, CreateRepoInput } from './control-types.ts';
import { handlePush } from '../webhooks/push-event.ts';

const zeroSha = '0000000000000000000000000000000000000000';

/** The repo `owner/name`, or a 404 ControlError naming it. */
export function repoOrThrow(emu: EmulatorContext, owner: string, name: string): Repo {
  const repo = emu.state.repoByName(owner, name);
  if (!repo) throw new ControlError(404, `no repository "${owner}/${name}"`);
  return repo;
}

/** Creates a repo with a first commit on its default branch (a README unless `files` says otherwise). */
export async function createRepo(
  emu: EmulatorContext,
  input: CreateRepoInput,
): Promise<{ id: number; fullName: string; defaultBranch: string; sha: string; cloneUrl: string }> {
  const owner = accountOrThrow(emu, input.owner);
  if (!/^[A-Za-z0-9._-]+$/.test(input.name) || input.name.endsWith('.git')) throw new ControlError(400, `"${input.name}" is not a valid repository name`);
  if (emu.state.repoByName(owner.login, input.name)) throw new ControlError(409, `repository "${owner.login}/${input.name}" already exists`);
  const collaborators = Object.entries(input.collaborators ?? {}).map(([login, perm]) => [accountOrThrow(emu, login).id, perm] as const);
  const defaultBranch = input.defaultBranch ?? 'main';
  await emu.git.createRepo(owner.login, input.name, defaultBranch);
  const repo = emu.state.addRepo(owner, input.name, { private: input.private ?? false, defaultBranch, description: input.description ?? null });
  for (const [id, perm] of collaborators) repo.collaborators.set(id, perm);
  const sha = await emu.git.commitFiles(owner.login, repo.name, {
    branch: defaultBranch,
    files: input.files ?? { 'README.md': `# ${repo.name}\n` },
    message: 'Initial commit',
    author: { name: owner.name ?? owner.login, email: owner.email ?? `${owner.login}@users.noreply.emulator` },
  });
  return { id: repo.id, fullName: emu.state.fullName(repo), defaultBranch, sha, cloneUrl: emu.urls.git(owner.login, repo.name) };
}

/** Commits files to a branch through the GitStore (creating the branch from `from` when missing). */
export async function commitFiles(emu: EmulatorContext, input: CommitFilesInput): Promise<{ sha: string }> {
  const repo = repoOrThrow(emu, input.owner, input.repo);
  const owner = emu.state.account(repo.ownerId);
  const before = (await emu.git.resolve(owner.login, repo.name, `refs/heads/${input.branch}`)) ?? zeroSha;
  const sha = await emu.git.commitFiles(owner.login, repo.name, {
    branch: input.branch,
    ...(input.from === undefined ? {} : { from: input.from }),
    files: input.files,
    message: input.message,
    author: input.author ?? { name: owner.name ?? owner.login, email: owner.email ?? `${owner.login}@users.noreply.emulator` },
  });
  const pusher = input.pusher === undefined ? owner : accountOrThrow(emu, input.pusher);
  await handlePush(emu, repo, [{ ref: `refs/heads/${input.branch}`, before, after: sha }], pusher);
  return { sha };
}

/** Adds a webhook to a repo, or to an org when `repo` is absent. */
export function addWebhook(emu: EmulatorContext, input: AddWebhookInput): { id: number } {
  let repoId: number | null = null;
  let orgId: number | null = null;
  if (input.repo === undefined) {
    const found = emu.state.orgByLogin(input.owner);
    if (!found) throw new ControlError(404, `no org "${input.owner}"`);
    orgId = found.org.id;
  } else {
    repoId = repoOrThrow(emu, input.owner, input.repo).id;
  }
  return { id: addHook(emu, { repoId, orgId, appId: null, url: input.url, secret: input.secret, events: input.events ?? ['*'] }).id };
}

/** Stores a hook with a fresh id; the REST hook routes and App creation use it too. */
export function addHook(emu: EmulatorContext, fields: Pick<Hook, 'repoId' | 'orgId' | 'appId' | 'url' | 'secret' | 'events'>): Hook {
  const now = isoNow();
  const hook: Hook = { id: emu.state.nextId(), active: true, createdAt: now, updatedAt: now, ...fields };
  emu.state.hooks.set(hook.id, hook);
  return hook;
}

