import type { FastifyInstance } from 'fastify';
import { loadRepo, requireActor } from '../http/access.ts';
import { paginate } from '../http/pagination.ts';
import { renderCommit } from '../render/commit.ts';
import { commitStatuses, renderCombinedStatus, renderStatus } from '../render/status.ts';
import { nodeId } from '../state/node-id.ts';
import { isoNow } from '../state/state.ts';
import type { CommitStatus, StatusState } from '../state/types.ts';
import { resolveCommitRef } from './commit-lookup.ts';
import { gitName } from './pull-actions.ts';

/** The status webhook's commit: its `verification` has no `verified_at`. */
function webhookCommit(rendered: Record<string, unknown>): Record<string, unknown> {
  const inner = rendered.commit as { verification: Record<string, unknown> };
  const { verified, reason, signature, payload } = inner.verification;
  return { ...rendered, commit: { ...inner, verification: { verified, reason, signature, payload } } };
}

interface RefParams { Params: { owner: string; repo: string; ref: string } }
interface StatusBody { state: StatusState; target_url?: string | null; description?: string | null; context?: string }

/** Commit statuses: create (emitting `status`), list per commit, and the combined status. */
export function statusRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.post<{ Params: { owner: string; repo: string; sha: string }; Body: StatusBody }>('/repos/:owner/:repo/statuses/:sha', async (req, reply) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'statuses');
    const sha = await resolveCommitRef(emu, repo, req.params.sha);
    const id = emu.state.nextId();
    const now = isoNow();
    const status: CommitStatus = {
      id,
      nodeId: nodeId('StatusContext', id),
      repoId: repo.id,
      sha,
      state: req.body.state,
      context: req.body.context ?? 'default',
      description: req.body.description ?? null,
      targetUrl: req.body.target_url ?? null,
      creatorId: actor.account.id,
      createdAt: now,
      updatedAt: now,
    };
    emu.state.statuses.set(id, status);
    const [owner, name] = gitName(emu, repo);
    const commit = await emu.git.commit(owner, name, sha);
    const branches = (await emu.git.branches(owner, name)).filter((b) => b.sha === sha);
    emu.webhooks.emit({
      event: 'status',
      repo,
      sender: actor.account,
      payload: {
        id,
        sha,
        name: emu.state.fullName(repo),
        target_url: status.targetUrl,
        avatar_url: emu.urls.html(`/avatars/u/${actor.account.id}`),
        context: status.context,
        description: status.description,
        state: status.state,
        commit: commit ? webhookCommit(renderCommit(emu, repo, commit)) : null,
        branches: branches.map((b) => ({ name: b.name, commit: { sha: b.sha, url: emu.urls.api(`/repos/${emu.state.fullName(repo)}/commits/${b.sha}`) }, protected: false })),
        created_at: now,
        updated_at: now,
      },
    });
    reply.code(201).header('location', emu.urls.api(`/repos/${emu.state.fullName(repo)}/statuses/${sha}`));
    return renderStatus(emu, repo, status);
  });

  app.get<RefParams>('/repos/:owner/:repo/commits/:ref/statuses', async (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const sha = await resolveCommitRef(emu, repo, req.params.ref);
    return paginate(req, reply, commitStatuses(emu, repo, sha), emu.urls.base).map((s) => renderStatus(emu, repo, s));
  });

  app.get<RefParams>('/repos/:owner/:repo/commits/:ref/status', async (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    return renderCombinedStatus(emu, repo, await resolveCommitRef(emu, repo, req.params.ref));
  });
}
