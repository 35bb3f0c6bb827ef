import type { FastifyInstance } from 'fastify';
import { loadRepo } from '../http/access.ts';
import { notFound } from '../http/github-error.ts';
import { renderCommit, renderFile } from '../render/commit.ts';
import { resolveCommitRef } from './commit-lookup.ts';
import { gitName } from './pull-actions.ts';

/** GitHub's cap on the files one commit or comparison lists. */
const maxFiles = 300;

/** One commit with its stats and files, and the comparison of two commits, both from git. */
export function commitRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<{ Params: { owner: string; repo: string; ref: string } }>('/repos/:owner/:repo/commits/:ref', async (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const [owner, name] = gitName(emu, repo);
    const sha = await resolveCommitRef(emu, repo, req.params.ref);
    const commit = await emu.git.commit(owner, name, sha);
    if (!commit) throw notFound();
    const parent = commit.parents[0];
    const files = parent === undefined ? [] : (await emu.git.compare(owner, name, parent, sha)).files;
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    return {
      ...renderCommit(emu, repo, commit),
      stats: { total: additions + deletions, additions, deletions },
      files: files.slice(0, maxFiles).map((f) => renderFile(emu, repo, sha, f)),
    };
  });

  app.get<{ Params: { owner: string; repo: string; basehead: string } }>('/repos/:owner/:repo/compare/:basehead', async (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const [owner, name] = gitName(emu, repo);
    const [baseRef = '', headRef = ''] = req.params.basehead.split('...');
    const [base, head] = [await resolveCommitRef(emu, repo, baseRef).catch(() => undefined), await resolveCommitRef(emu, repo, headRef).catch(() => undefined)];
    if (base === undefined || head === undefined) throw notFound();
    const cmp = await emu.git.compare(owner, name, base, head);
    const [baseCommit, mergeBaseCommit] = await Promise.all([emu.git.commit(owner, name, base), cmp.mergeBase === undefined ? undefined : emu.git.commit(owner, name, cmp.mergeBase)]);
    const full = emu.state.fullName(repo);
    const html = emu.urls.html(`/${full}/compare/${req.params.basehead}`);
    const status = cmp.aheadBy === 0 && cmp.behindBy === 0 ? 'identical' : cmp.behindBy === 0 ? 'ahead' : cmp.aheadBy === 0 ? 'behind' : 'diverged';
    return {
      url: emu.urls.api(`/repos/${full}/compare/${req.params.basehead}`),
      html_url: html,
      permalink_url: emu.urls.html(`/${full}/compare/${owner}:${base.slice(0, 7)}...${owner}:${head.slice(0, 7)}`),
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      base_commit: baseCommit ? renderCommit(emu, repo, baseCommit) : null,
      merge_base_commit: mergeBaseCommit ? renderCommit(emu, repo, mergeBaseCommit) : null,
      status,
      ahead_by: cmp.aheadBy,
      behind_by: cmp.behindBy,
      total_commits: cmp.commits.length,
      commits: cmp.commits.map((c) => renderCommit(emu, repo, c)),
      files: cmp.files.slice(0, maxFiles).map((f) => renderFile(emu, repo, head, f)),
    };
  });
}
