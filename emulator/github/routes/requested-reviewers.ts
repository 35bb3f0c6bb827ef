import type { FastifyInstance } from 'fastify';
import { loadRepo, requireActor } from '../http/access.ts';
import { renderUser } from '../render/account.ts';
import { renderPullSimple } from '../render/pull-simple.ts';
import { renderTeam } from '../render/team.ts';
import { atLeast, userPermission } from '../state/permissions.ts';
import type { Repo } from '../state/types.ts';
import { emitPullEvent } from '../webhooks/pull-events.ts';
import { UnprocessableError } from './pull-errors.ts';
import { loadPull } from './pulls.ts';

interface PullParams { Params: { owner: string; repo: string; pull_number: string } }
interface ReviewersBody { reviewers?: string[]; team_reviewers?: string[] }

/** Whether an account is a collaborator in GitHub's sense: explicit read access, not merely a public repo. */
function isCollaborator(app: FastifyInstance, accountId: number, repo: Repo): boolean {
  return atLeast(userPermission(app.emu.state, accountId, { ...repo, private: true }), 'read');
}

/** Who is asked to review a PR: read, request (collaborators only, never the author) and withdraw. */
export function requestedReviewerRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<PullParams>('/repos/:owner/:repo/pulls/:pull_number/requested_reviewers', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const pull = loadPull(repo, req.params.pull_number);
    return {
      users: pull.requestedReviewerIds.map((id) => renderUser(emu, emu.state.account(id))),
      teams: pull.requestedTeamIds.flatMap((id) => {
        const team = emu.state.teams.get(id);
        return team ? [renderTeam(emu, team)] : [];
      }),
    };
  });

  app.post<PullParams & { Body: ReviewersBody }>('/repos/:owner/:repo/pulls/:pull_number/requested_reviewers', (req, reply) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'triage', 'pull_requests');
    const pull = loadPull(repo, req.params.pull_number);
    const authorId = repo.issues.get(pull.number)?.userId;
    const full = emu.state.fullName(repo);
    const notCollaborator = new UnprocessableError(
      `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${full} repository.`,
      [],
    );
    const users = (req.body.reviewers ?? []).map((login) => {
      const user = emu.state.accountByLogin(login);
      if (!user || user.type === 'Organization' || !isCollaborator(app, user.id, repo)) throw notCollaborator;
      if (user.id === authorId) throw new UnprocessableError('Review cannot be requested from pull request author.', []);
      return user;
    });
    const teams = (req.body.team_reviewers ?? []).map((slug) => {
      const team = emu.state.teamBySlug(repo.ownerId, slug);
      if (!team?.repos.has(repo.id)) throw notCollaborator;
      return team;
    });
    for (const user of users) {
      if (pull.requestedReviewerIds.includes(user.id)) continue;
      pull.requestedReviewerIds.push(user.id);
      emitPullEvent(emu, repo, pull, 'review_requested', actor.account, undefined, { requested_reviewer: renderUser(emu, user) });
    }
    for (const team of teams) {
      if (pull.requestedTeamIds.includes(team.id)) continue;
      pull.requestedTeamIds.push(team.id);
      emitPullEvent(emu, repo, pull, 'review_requested', actor.account, undefined, { requested_team: renderTeam(emu, team) });
    }
    reply.code(201);
    return renderPullSimple(emu, repo, pull);
  });

  app.delete<PullParams & { Body: ReviewersBody }>('/repos/:owner/:repo/pulls/:pull_number/requested_reviewers', (req) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'triage', 'pull_requests');
    const pull = loadPull(repo, req.params.pull_number);
    for (const login of req.body.reviewers ?? []) {
      const user = emu.state.accountByLogin(login);
      if (!user || !pull.requestedReviewerIds.includes(user.id)) continue;
      pull.requestedReviewerIds = pull.requestedReviewerIds.filter((id) => id !== user.id);
      emitPullEvent(emu, repo, pull, 'review_request_removed', actor.account, undefined, { requested_reviewer: renderUser(emu, user) });
    }
    for (const slug of req.body.team_reviewers ?? []) {
      const team = emu.state.teamBySlug(repo.ownerId, slug);
      if (!team || !pull.requestedTeamIds.includes(team.id)) continue;
      pull.requestedTeamIds = pull.requestedTeamIds.filter((id) => id !== team.id);
      emitPullEvent(emu, repo, pull, 'review_request_removed', actor.account, undefined, { requested_team: renderTeam(emu, team) });
    }
    return renderPullSimple(emu, repo, pull);
  });
}
