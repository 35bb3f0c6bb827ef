import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { loadRepo, requireActor } from '../http/access.ts';
import { notFound } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderReview, renderReviewComment } from '../render/review.ts';
import type { Account, PullRequest, Repo, Review, ReviewState } from '../state/types.ts';
import { emitReviewEvent } from '../webhooks/pull-events.ts';
import { UnprocessableError } from './pull-errors.ts';
import { loadPull } from './pulls.ts';
import { createReview, submitReview, type NewReviewComment } from './review-actions.ts';
import { placeReviewComment } from './review-comments.ts';

interface PullParams { Params: { owner: string; repo: string; pull_number: string } }
interface ReviewParams { Params: { owner: string; repo: string; pull_number: string; review_id: string } }
type ReviewEvent = 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';

const states: Record<ReviewEvent, ReviewState> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };

function refused(message: string): UnprocessableError {
  return new UnprocessableError('Unprocessable Entity', [message]);
}

/** GitHub's rules for submitting: no approving or requesting changes on one's own PR, and a body where the event needs one. */
function checkSubmission(emu: EmulatorContext, repo: Repo, pull: PullRequest, user: Account, event: ReviewEvent, body: string, comments: number): void {
  const authorId = repo.issues.get(pull.number)?.userId;
  if (authorId === user.id && event === 'APPROVE') throw refused('Can not approve your own pull request');
  if (authorId === user.id && event === 'REQUEST_CHANGES') throw refused('Can not request changes on your own pull request');
  if (body === '' && (event === 'REQUEST_CHANGES' || (event === 'COMMENT' && comments === 0))) throw refused(`Body is required when using ${event}`);
}

/** Reviews of a PR: the caller's pending review is visible only to the caller. */
function visibleReviews(emu: EmulatorContext, req: FastifyRequest, repo: Repo, pull: PullRequest): Review[] {
  return [...emu.state.reviews.values()].filter(
    (r) => r.repoId === repo.id && r.pullNumber === pull.number && (r.state !== 'PENDING' || r.userId === req.actor?.account.id),
  );
}

/** Pull request reviews: list, read, create (pending or submitted), submit, edit, delete pending, dismiss. */
export function reviewRoutes(app: FastifyInstance): void {
  const { emu } = app;

  const loadReview = (req: FastifyRequest<ReviewParams>): { repo: Repo; pull: PullRequest; review: Review } => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const pull = loadPull(repo, req.params.pull_number);
    const review = visibleReviews(emu, req, repo, pull).find((r) => r.id === Number(req.params.review_id));
    if (!review) throw notFound();
    return { repo, pull, review };
  };

  app.get<PullParams>('/repos/:owner/:repo/pulls/:pull_number/reviews', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const pull = loadPull(repo, req.params.pull_number);
    return paginate(req, reply, visibleReviews(emu, req, repo, pull), emu.urls.base).map((r) => renderReview(emu, repo, r));
  });

  app.get<ReviewParams>('/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id', (req) => {
    const { repo, review } = loadReview(req);
    return renderReview(emu, repo, review);
  });

  app.get<ReviewParams>('/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id/comments', (req, reply) => {
    const { repo, review } = loadReview(req);
    const list = [...emu.state.reviewComments.values()].filter((c) => c.reviewId === review.id);
    return paginate(req, reply, list, emu.urls.base).map((c) => renderReviewComment(emu, repo, c));
  });

  app.post<PullParams & { Body: { commit_id?: string; body?: string; event?: ReviewEvent; comments?: NewReviewComment[] } | undefined }>(
    '/repos/:owner/:repo/pulls/:pull_number/reviews',
    async (req) => {
      const actor = requireActor(req);
      const repo = loadRepo(emu, req, req.params.owner, req.params.repo, actor.token.kind === 'installation' ? 'write' : 'read', 'pull_requests');
      const pull = loadPull(repo, req.params.pull_number);
      const body = req.body ?? {};
      const text = body.body ?? '';
      if (body.event !== undefined) checkSubmission(emu, repo, pull, actor.account, body.event, text, body.comments?.length ?? 0);
      else if (visibleReviews(emu, req, repo, pull).some((r) => r.state === 'PENDING' && r.userId === actor.account.id)) {
        throw refused('User can only have one pending review per pull request');
      }
      const placed = [];
      for (const c of body.comments ?? []) placed.push(await placeReviewComment(emu, repo, pull, c));
      const { review } = createReview(emu, repo, pull, actor.account, {
        state: body.event === undefined ? 'PENDING' : states[body.event],
        body: text,
        ...(body.commit_id === undefined ? {} : { commitId: body.commit_id }),
        comments: placed,
      });
      return renderReview(emu, repo, review);
    },
  );

  app.post<ReviewParams & { Body: { body?: string; event: ReviewEvent } }>('/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id/events', (req) => {
    const actor = requireActor(req);
    const { repo, pull, review } = loadReview(req);
    if (review.state !== 'PENDING' || review.userId !== actor.account.id) throw refused('Can not submit a non-pending review');
    const text = req.body.body ?? review.body;
    const comments = [...emu.state.reviewComments.values()].filter((c) => c.reviewId === review.id).length;
    checkSubmission(emu, repo, pull, actor.account, req.body.event, text, comments);
    review.body = text;
    review.state = states[req.body.event];
    submitReview(emu, repo, pull, review, actor.account);
    return renderReview(emu, repo, review);
  });

  app.put<ReviewParams & { Body: { body: string } }>('/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id', (req) => {
    const actor = requireActor(req);
    const { repo, pull, review } = loadReview(req);
    if (review.userId !== actor.account.id) throw notFound();
    const from = review.body;
    review.body = req.body.body;
    if (review.state !== 'PENDING' && from !== review.body) {
      emitReviewEvent(emu, repo, pull, review, 'edited', actor.account, { changes: { body: { from } } });
    }
    return renderReview(emu, repo, review);
  });

  app.delete<ReviewParams>('/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id', (req) => {
    const actor = requireActor(req);
    const { repo, review } = loadReview(req);
    if (review.state !== 'PENDING' || review.userId !== actor.account.id) throw refused('Can not delete a non-pending pull request review');
    emu.state.reviews.delete(review.id);
    for (const c of [...emu.state.reviewComments.values()]) if (c.reviewId === review.id) emu.state.reviewComments.delete(c.id);
    return renderReview(emu, repo, review);
  });

  app.put<ReviewParams & { Body: { message: string; event?: 'DISMISS' } }>('/repos/:owner/:repo/pulls/:pull_number/reviews/:review_id/dismissals', (req) => {
    const actor = requireActor(req);
    const { repo, pull, review } = loadReview(req);
    loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'pull_requests');
    if (review.state === 'PENDING') throw refused('Can not dismiss a pending pull request review');
    if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED') throw refused(`Can not dismiss a ${review.state === 'DISMISSED' ? 'dismissed' : 'commented'} pull request review`);
    review.state = 'DISMISSED';
    emitReviewEvent(emu, repo, pull, review, 'dismissed', actor.account);
    return renderReview(emu, repo, review);
  });
}
