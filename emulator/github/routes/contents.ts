import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import type { GitTreeEntry } from '../git/types.ts';
import { loadRepo } from '../http/access.ts';
import { notFound } from '../http/github-error.ts';
import type { Repo } from '../state/types.ts';
import { resolveCommitRef } from './commit-lookup.ts';
import { gitName } from './pull-actions.ts';

interface ContentParams { Params: { owner: string; repo: string; '*'?: string }; Querystring: { ref?: string } }

const entryTypes: Record<GitTreeEntry['type'], string> = { blob: 'file', tree: 'dir', commit: 'submodule' };

/** One entry in the contents API's shape (without content); `ref` is the branch or sha asked for. */
function renderEntry(emu: EmulatorContext, repo: Repo, ref: string, e: GitTreeEntry): Record<string, unknown> {
  const full = emu.state.fullName(repo);
  const path = e.path.split('/').map(encodeURIComponent).join('/');
  const type = e.mode === '120000' ? 'symlink' : entryTypes[e.type];
  const self = emu.urls.api(`/repos/${full}/contents/${path}?ref=${encodeURIComponent(ref)}`);
  const git = emu.urls.api(`/repos/${full}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`);
  const html = emu.urls.html(`/${full}/${e.type === 'tree' ? 'tree' : 'blob'}/${ref}/${path}`);
  return {
    type,
    size: e.size ?? 0,
    name: e.path.slice(e.path.lastIndexOf('/') + 1),
    path: e.path,
    sha: e.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: type === 'file' ? emu.urls.html(`/${full}/raw/${ref}/${path}`) : null,
    _links: { self, git, html },
  };
}

/** GET /contents/{path}: a file with its base64 content, or a directory's entries, at a ref (the default branch by default). */
export function contentRoutes(app: FastifyInstance): void {
  const { emu } = app;

  const handler = async (req: FastifyRequest<ContentParams>): Promise<unknown> => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const [owner, name] = gitName(emu, repo);
    const ref = req.query.ref ?? repo.defaultBranch;
    const sha = await resolveCommitRef(emu, repo, ref).catch(() => {
      throw notFound();
    });
    const path = (req.params['*'] ?? '').replace(/^\/+|\/+$/g, '');
    if (path === '') return ((await emu.git.listTree(owner, name, sha, '', false)) ?? []).map((e) => renderEntry(emu, repo, ref, e));
    const slash = path.lastIndexOf('/');
    const siblings = await emu.git.listTree(owner, name, sha, slash === -1 ? '' : path.slice(0, slash), false);
    const entry = siblings?.find((e) => e.path === path);
    if (!entry) throw notFound();
    if (entry.type === 'tree') return ((await emu.git.listTree(owner, name, sha, path, false)) ?? []).map((e) => renderEntry(emu, repo, ref, e));
    const content = entry.type === 'blob' ? await emu.git.readFile(owner, name, sha, path) : undefined;
    const base64 = (content ?? Buffer.alloc(0)).toString('base64');
    return { ...renderEntry(emu, repo, ref, entry), encoding: 'base64', content: `${base64.replace(/.{60}/g, '$&\n')}\n` };
  };

  app.get<ContentParams>('/repos/:owner/:repo/contents/*', handler);
}
