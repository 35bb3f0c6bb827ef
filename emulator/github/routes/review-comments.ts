import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { loadRepo, requireActor } from '../http/access.ts';
import { notFound } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderReviewComment } from '../render/review.ts';
import type { PullRequest, Repo, ReviewComment } from '../state/types.ts';
import { locateInPatch } from './diff-position.ts';
import { UnprocessableError } from './pull-errors.ts';
import { pullComparison } from './pull-actions.ts';
import { loadPull } from './pulls.ts';
import { createReview, type NewReviewComment, type PlacedComment } from './review-actions.ts';

interface PullParams { Params: { owner: string; repo: string; pull_number: string } }

function unresolved(field: string): UnprocessableError {
  return new UnprocessableError('Validation Failed', [
    { resource: 'PullRequestReviewComment', code: 'custom', field: `pull_request_review_thread.${field}`, message: `pull_request_review_thread.${field} could not be resolved` },
  ]);
}

/**
 * Finds where a comment goes on the PR's diff: the path must be changed by the PR and the line shown by its
 * diff, else 422 as GitHub answers. A reply takes its place from the comment it answers.
 */
export async function placeReviewComment(emu: EmulatorContext, repo: Repo, pull: PullRequest, input: NewReviewComment): Promise<PlacedComment> {
  if (input.in_reply_to !== undefined) {
    const parent = emu.state.reviewComments.get(input.in_reply_to);
    if (parent?.repoId !== repo.id || parent.pullNumber !== pull.number) throw notFound();
    return { input, path: parent.path, line: parent.line, side: parent.side, position: parent.position, hunk: parent.diffHunk, inReplyTo: parent.id };
  }
  const { files } = await pullComparison(emu, repo, pull);
  const file = files.find((f) => f.filename === input.path);
  if (!file?.patch) throw unresolved('path');
  const found = locateInPatch(file.patch, {
    ...(input.line === undefined ? {} : { line: input.line }),
    ...(input.side === undefined ? {} : { side: input.side }),
    ...(input.position === undefined ? {} : { position: input.position }),
  });
  if (!found) throw unresolved('line');
  return { input, path: file.filename, line: found.line, side: found.side, position: found.position, hunk: found.hunk, inReplyTo: null };
}

/** Review comments visible to the caller: those of pending reviews only to their author. */
function visible(emu: EmulatorContext, req: FastifyRequest, c: ReviewComment): boolean {
  const review = c.reviewId === null ? undefined : emu.state.reviews.get(c.reviewId);
  return review?.state !== 'PENDING' || review.userId === req.actor?.account.id;
}

/** Comments on lines of a PR's diff: per PR, per repo, one by id, and new ones (each in a review of its own). */
export function reviewCommentRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<PullParams>('/repos/:owner/:repo/pulls/:pull_number/comments', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const pull = loadPull(repo, req.params.pull_number);
    const list = [...emu.state.reviewComments.values()].filter((c) => c.repoId === repo.id && c.pullNumber === pull.number && visible(emu, req, c));
    return paginate(req, reply, list, emu.urls.base).map((c) => renderReviewComment(emu, repo, c));
  });

  app.get<{ Params: { owner: string; repo: string }; Querystring: Record<string, string | undefined> }>('/repos/:owner/:repo/pulls/comments', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    let list = [...emu.state.reviewComments.values()].filter((c) => c.repoId === repo.id && visible(emu, req, c));
    if (req.query.since !== undefined) list = list.filter((c) => c.updatedAt >= (req.query.since ?? ''));
    if ((req.query.direction ?? 'asc') === 'desc') list.reverse();
    return paginate(req, reply, list, emu.urls.base).map((c) => renderReviewComment(emu, repo, c));
  });

  app.get<{ Params: { owner: string; repo: string; comment_id: string } }>('/repos/:owner/:repo/pulls/comments/:comment_id', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const c = emu.state.reviewComments.get(Number(req.params.comment_id));
    if (c?.repoId !== repo.id || !visible(emu, req, c)) throw notFound();
    return renderReviewComment(emu, repo, c);
  });

  app.post<PullParams & { Body: NewReviewComment }>('/repos/:owner/:repo/pulls/:pull_number/comments', async (req, reply) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, actor.token.kind === 'installation' ? 'write' : 'read', 'pull_requests');
    const pull = loadPull(repo, req.params.pull_number);
    const placed = await placeReviewComment(emu, repo, pull, req.body);
    const [comment] = createReview(emu, repo, pull, actor.account, { state: 'COMMENTED', body: '', comments: [placed] }).comments;
    if (!comment) throw notFound();
    reply.code(201).header('location', renderReviewComment(emu, repo, comment).url);
    return renderReviewComment(emu, repo, comment);
  });

  app.post<PullParams & { Params: { comment_id: string }; Body: { body: string } }>(
    '/repos/:owner/:repo/pulls/:pull_number/comments/:comment_id/replies',
    async (req, reply) => {
      const actor = requireActor(req);
      const repo = loadRepo(emu, req, req.params.owner, req.params.repo, actor.token.kind === 'installation' ? 'write' : 'read', 'pull_requests');
      const pull = loadPull(repo, req.params.pull_number);
      const placed = await placeReviewComment(emu, repo, pull, { body: req.body.body, in_reply_to: Number(req.params.comment_id) });
      const [comment] = createReview(emu, repo, pull, actor.account, { state: 'COMMENTED', body: '', comments: [placed] }).comments;
      if (!comment) throw notFound();
      reply.code(201);
      return renderReviewComment(emu, repo, comment);
    },
  );
}
