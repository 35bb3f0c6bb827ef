import type { FastifyInstance } from 'fastify';
import { loadRepo } from '../http/access.ts';
import { paginate } from '../http/pagination.ts';
import { renderCommit, renderFile } from '../render/commit.ts';
import { pullComparison } from './pull-actions.ts';
import { loadPull } from './pulls.ts';

interface PullParams { Params: { owner: string; repo: string; pull_number: string } }

/** GitHub's cap on the files of one PR the files endpoint lists. */
const maxFiles = 3000;
/** GitHub's cap on the commits of one PR the commits endpoint lists. */
const maxCommits = 250;

/** A PR's changed files and commits, both from git. */
export function pullFileRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<PullParams>('/repos/:owner/:repo/pulls/:pull_number/files', async (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const pull = loadPull(repo, req.params.pull_number);
    const { files } = await pullComparison(emu, repo, pull);
    return paginate(req, reply, files.slice(0, maxFiles), emu.urls.base).map((f) => renderFile(emu, repo, pull.head.sha, f));
  });

  app.get<PullParams>('/repos/:owner/:repo/pulls/:pull_number/commits', async (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const pull = loadPull(repo, req.params.pull_number);
    const { commits } = await pullComparison(emu, repo, pull);
    return paginate(req, reply, commits.slice(0, maxCommits), emu.urls.base).map((c) => renderCommit(emu, repo, c));
  });
}
