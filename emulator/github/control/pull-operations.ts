import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { GitHubError } from '../http/github-error.ts';
import { createPull, gitIdentity } from '../routes/pull-actions.ts';
import { accountOrThrow } from './account-operations.ts';
import { ControlError } from './control-error.ts';
import { commitFiles, repoOrThrow } from './repo-operations.ts';

/** What the control API's createPullRequest takes. */
export interface CreatePullRequestInput {
  owner: string;
  repo: string;
  /** Login of the PR's author (also the author and pusher of `files`). */
  author: string;
  /** Head branch; created from `base` when `files` are given and it does not exist. */
  head: string;
  /** The repo's default branch when absent. */
  base?: string;
  title: string;
  body?: string;
  /** Files committed on the head branch before the PR is opened: path to content, null deletes. */
  files?: Record<string, string | null>;
  draft?: boolean;
}

/**
 * Opens a PR as its author would: commits `files` on the head branch first (a push, so webhooks and other PRs
 * follow), then opens it through the same code as POST /pulls.
 */
export async function createPullRequest(emu: EmulatorContext, input: CreatePullRequestInput): Promise<{ number: number; headSha: string }> {
  const repo = repoOrThrow(emu, input.owner, input.repo);
  const author = accountOrThrow(emu, input.author);
  const base = input.base ?? repo.defaultBranch;
  if (input.files !== undefined) {
    await commitFiles(emu, {
      owner: input.owner,
      repo: repo.name,
      branch: input.head,
      from: base,
      files: input.files,
      message: input.title,
      author: gitIdentity(author),
      pusher: author.login,
    });
  }
  try {
    const pull = await createPull(emu, repo, author, { head: input.head, base, title: input.title, body: input.body ?? null, draft: input.draft ?? false, maintainerCanModify: true });
    return { number: pull.number, headSha: pull.head.sha };
  } catch (err) {
    if (err instanceof GitHubError) throw new ControlError(400, `cannot open the pull request: ${JSON.stringify(err.body())}`);
    throw err;
  }
}

/** The pull-request control verbs, mounted with the others under /_emulator/. */
export function pullControl(app: FastifyInstance): void {
  app.post<{ Body: CreatePullRequestInput }>('/pulls', async (req, reply) => {
    const created = await createPullRequest(app.emu, req.body);
    reply.code(201);
    return created;
  });
}
