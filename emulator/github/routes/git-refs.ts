import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { GitNotFastForward } from '../git/errors.ts';
import { ZERO_SHA } from '../git/plumbing.ts';
import { loadRepo, requireActor } from '../http/access.ts';
import { GitHubError, notFound } from '../http/github-error.ts';
import type { Repo } from '../state/types.ts';
import { gitName } from './pull-actions.ts';
import { handlePush } from '../webhooks/push-event.ts';

interface RefParams { Params: { owner: string; repo: string; '*': string } }

/** A ref in GitHub's `git-ref` shape. */
function renderRef(emu: EmulatorContext, repo: Repo, ref: string, sha: string): Record<string, unknown> {
  const api = (p: string): string => emu.urls.api(`/repos/${emu.state.fullName(repo)}${p}`);
  return {
    ref,
    node_id: Buffer.from(`03:Ref${repo.id}:${ref}`).toString('base64'),
    url: api(`/git/${ref}`),
    object: { sha, type: 'commit', url: api(`/git/commits/${sha}`) },
  };
}

/** Every ref GitHub shows through the refs API: branches from git, and `refs/pull/N/head` of each PR. */
async function allRefs(emu: EmulatorContext, repo: Repo): Promise<{ ref: string; sha: string }[]> {
  const [owner, name] = gitName(emu, repo);
  const heads = (await emu.git.branches(owner, name)).map((b) => ({ ref: `refs/heads/${b.name}`, sha: b.sha }));
  const pulls = [...repo.pulls.values()].map((p) => ({ ref: `refs/pull/${p.number}/head`, sha: p.head.sha }));
  return [...heads, ...pulls].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/** The git references API: read one, list by prefix, create, move (fast-forward or forced) and delete; moves emit `push`. */
export function gitRefRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<RefParams>('/repos/:owner/:repo/git/ref/*', async (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const full = `refs/${req.params['*']}`;
    const found = (await allRefs(emu, repo)).find((r) => r.ref === full);
    if (!found) throw notFound();
    return renderRef(emu, repo, found.ref, found.sha);
  });

  app.get<RefParams>('/repos/:owner/:repo/git/matching-refs/*', async (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const prefix = `refs/${req.params['*']}`;
    return (await allRefs(emu, repo)).filter((r) => r.ref.startsWith(prefix)).map((r) => renderRef(emu, repo, r.ref, r.sha));
  });

  app.post<{ Params: { owner: string; repo: string }; Body: { ref: string; sha: string } }>('/repos/:owner/:repo/git/refs', async (req, reply) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'contents');
    const { ref, sha } = req.body;
    if (!/^refs\/[^/]+\/.+/.test(ref)) throw new GitHubError(422, "Reference update failed: ref must start with 'refs' and have at least two slashes.");
    const [owner, name] = gitName(emu, repo);
    if ((await emu.git.resolve(owner, name, ref)) !== undefined) throw new GitHubError(422, 'Reference already exists');
    const target = /^[0-9a-f]{40}$/i.test(sha) ? await emu.git.commit(owner, name, sha) : undefined;
    if (!target) throw new GitHubError(422, 'Object does not exist');
    await emu.git.updateRef(owner, name, ref, target.sha, false);
    await handlePush(emu, repo, [{ ref, before: ZERO_SHA, after: target.sha }], actor.account);
    reply.code(201).header('location', emu.urls.api(`/repos/${emu.state.fullName(repo)}/git/${ref}`));
    return renderRef(emu, repo, ref, target.sha);
  });

  app.patch<RefParams & { Body: { sha: string; force?: boolean } }>('/repos/:owner/:repo/git/refs/*', async (req) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'contents');
    const ref = `refs/${req.params['*']}`;
    const [owner, name] = gitName(emu, repo);
    const before = await emu.git.resolve(owner, name, ref);
    if (before === undefined) throw new GitHubError(422, 'Reference does not exist');
    const target = /^[0-9a-f]{40}$/i.test(req.body.sha) ? await emu.git.commit(owner, name, req.body.sha) : undefined;
    if (!target) throw new GitHubError(422, 'Object does not exist');
    try {
      await emu.git.updateRef(owner, name, ref, target.sha, req.body.force ?? false);
    } catch (err) {
      if (err instanceof GitNotFastForward) throw new GitHubError(422, 'Update is not a fast forward');
      throw err;
    }
    if (before !== target.sha) await handlePush(emu, repo, [{ ref, before, after: target.sha }], actor.account);
    return renderRef(emu, repo, ref, target.sha);
  });

  app.delete<RefParams>('/repos/:owner/:repo/git/refs/*', async (req, reply) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'contents');
    const ref = `refs/${req.params['*']}`;
    const [owner, name] = gitName(emu, repo);
    const before = ref.startsWith('refs/pull/') ? undefined : await emu.git.resolve(owner, name, ref);
    if (before === undefined) throw new GitHubError(422, 'Reference does not exist');
    await emu.git.deleteRef(owner, name, ref);
    await handlePush(emu, repo, [{ ref, before, after: ZERO_SHA }], actor.account);
    reply.code(204).send();
    return undefined;
  });
}
