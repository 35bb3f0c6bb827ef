import type { FastifyInstance } from 'fastify';
import { loadRepo } from '../http/access.ts';
import { GitHubError } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderCommit } from '../render/commit.ts';
import { protectionOf } from './branch-protections.ts';
import { gitName } from './pull-actions.ts';

interface RepoParams { Params: { owner: string; repo: string }; Querystring: Record<string, string | undefined> }

/** Branches as GitHub lists them, read from git, with whether each is protected. */
export function branchRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<RepoParams>('/repos/:owner/:repo/branches', async (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const [owner, name] = gitName(emu, repo);
    const isProtected = (branch: string): boolean => protectionOf(emu.state, repo, branch) !== undefined;
    const want = req.query.protected;
    const branches = (await emu.git.branches(owner, name)).filter((b) => want === undefined || isProtected(b.name) === (want === 'true'));
    return paginate(req, reply, branches, emu.urls.base).map((b) => ({
      name: b.name,
      commit: { sha: b.sha, url: emu.urls.api(`/repos/${emu.state.fullName(repo)}/commits/${b.sha}`) },
      protected: isProtected(b.name),
    }));
  });

  app.get<{ Params: { owner: string; repo: string; branch: string } }>('/repos/:owner/:repo/branches/:branch', async (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const [owner, name] = gitName(emu, repo);
    const branch = req.params.branch;
    const sha = await emu.git.resolve(owner, name, `refs/heads/${branch}`);
    const commit = sha === undefined ? undefined : await emu.git.commit(owner, name, sha);
    if (!commit) throw new GitHubError(404, 'Branch not found');
    const protection = protectionOf(emu.state, repo, branch);
    const checks = protection?.requiredStatusChecks;
    const full = emu.state.fullName(repo);
    const self = emu.urls.api(`/repos/${full}/branches/${encodeURIComponent(branch)}`);
    return {
      name: branch,
      commit: renderCommit(emu, repo, commit),
      _links: { self, html: emu.urls.html(`/${full}/tree/${branch}`) },
      protected: protection !== undefined,
      protection: {
        enabled: protection !== undefined,
        required_status_checks: {
          enforcement_level: checks ? 'non_admins' : 'off',
          contexts: checks?.contexts ?? [],
          checks: (checks?.contexts ?? []).map((context) => ({ context, app_id: null })),
        },
      },
      protection_url: `${self}/protection`,
    };
  });
}
