import type { FastifyInstance } from 'fastify';
import { loadRepo, requireActor } from '../http/access.ts';
import { notFound, validationFailed } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderMilestone } from '../render/issue.ts';
import { nodeId } from '../state/node-id.ts';
import { isoNow } from '../state/state.ts';
import type { Milestone } from '../state/types.ts';

interface RepoParams { Params: { owner: string; repo: string }; Querystring: Record<string, string> }
interface MilestoneBody { title?: string; state?: 'open' | 'closed'; description?: string; due_on?: string }

/** A repo's milestones. */
export function milestoneRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<RepoParams>('/repos/:owner/:repo/milestones', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const state = req.query.state ?? 'open';
    const list = [...repo.milestones.values()].filter((m) => state === 'all' || m.state === state);
    if (req.query.direction === 'desc') list.reverse();
    return paginate(req, reply, list, emu.urls.base).map((m) => renderMilestone(emu, repo, m));
  });

  app.post<RepoParams & { Body: MilestoneBody }>('/repos/:owner/:repo/milestones', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'issues');
    const { title, state, description, due_on: dueOn } = req.body;
    if (title === undefined) throw validationFailed({ resource: 'Milestone', field: 'title', code: 'missing_field' });
    if ([...repo.milestones.values()].some((m) => m.title === title)) throw validationFailed({ resource: 'Milestone', field: 'title', code: 'already_exists' });
    const id = emu.state.nextId();
    const now = isoNow();
    const milestone: Milestone = {
      id,
      nodeId: nodeId('Milestone', id),
      number: repo.nextMilestoneNumber++,
      title,
      description: description ?? null,
      state: state ?? 'open',
      dueOn: dueOn ?? null,
      creatorId: requireActor(req).account.id,
      createdAt: now,
      updatedAt: now,
      closedAt: state === 'closed' ? now : null,
    };
    repo.milestones.set(milestone.number, milestone);
    reply.code(201);
    return renderMilestone(emu, repo, milestone);
  });

  app.get<{ Params: { owner: string; repo: string; milestone_number: string } }>('/repos/:owner/:repo/milestones/:milestone_number', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const milestone = repo.milestones.get(Number(req.params.milestone_number));
    if (!milestone) throw notFound();
    return renderMilestone(emu, repo, milestone);
  });

  app.patch<{ Params: { owner: string; repo: string; milestone_number: string }; Body: MilestoneBody }>(
    '/repos/:owner/:repo/milestones/:milestone_number',
    (req) => {
      const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'issues');
      const milestone = repo.milestones.get(Number(req.params.milestone_number));
      if (!milestone) throw notFound();
      const { title, state, description, due_on: dueOn } = req.body;
      const now = isoNow();
      if (title !== undefined) milestone.title = title;
      if (description !== undefined) milestone.description = description;
      if (dueOn !== undefined) milestone.dueOn = dueOn;
      if (state !== undefined && state !== milestone.state) {
        milestone.state = state;
        milestone.closedAt = state === 'closed' ? now : null;
      }
      milestone.updatedAt = now;
      return renderMilestone(emu, repo, milestone);
    },
  );
}
