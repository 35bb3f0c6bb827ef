import type { EmulatorContext } from '../context.ts';
import { nodeId } from '../state/node-id.ts';
import { isoNow } from '../state/state.ts';
import type { Account, PullRequest, Repo, Review, ReviewComment, ReviewState } from '../state/types.ts';
import { emitReviewCommentEvent, emitReviewEvent } from '../webhooks/pull-events.ts';

/** A comment on a line of the diff, as POST /pulls/{n}/comments and review bodies take it. */
export interface NewReviewComment {
  body: string;
  path?: string;
  line?: number;
  side?: 'LEFT' | 'RIGHT';
  start_line?: number;
  position?: number;
  commit_id?: string;
  in_reply_to?: number;
}

/** Where a new comment goes: its file, line and hunk, found before anything is stored. */
export interface PlacedComment {
  input: NewReviewComment;
  path: string;
  line: number | null;
  side: 'LEFT' | 'RIGHT';
  position: number | null;
  hunk: string;
  inReplyTo: number | null;
}

/** Stores a placed comment in a review; its webhook goes out when the review is submitted. */
export function storeReviewComment(emu: EmulatorContext, repo: Repo, pull: PullRequest, user: Account, placed: PlacedComment, reviewId: number): ReviewComment {
  const id = emu.state.nextId();
  const now = isoNow();
  const comment: ReviewComment = {
    id,
    nodeId: nodeId('PullRequestReviewComment', id),
    repoId: repo.id,
    pullNumber: pull.number,
    reviewId,
    userId: user.id,
    body: placed.input.body,
    path: placed.path,
    line: placed.line,
    startLine: placed.input.start_line ?? null,
    side: placed.side,
    position: placed.position,
    commitId: pull.head.sha,
    originalCommitId: placed.input.commit_id ?? pull.head.sha,
    diffHunk: placed.hunk,
    inReplyToId: placed.inReplyTo,
    createdAt: now,
    updatedAt: now,
  };
  emu.state.reviewComments.set(id, comment);
  return comment;
}

/**
 * Marks a review submitted: the reviewer leaves the requested reviewers, its comments are announced
 * (`pull_request_review_comment.created`) and then the review (`pull_request_review.submitted`).
 */
export function submitReview(emu: EmulatorContext, repo: Repo, pull: PullRequest, review: Review, user: Account): void {
  review.submittedAt = isoNow();
  pull.requestedReviewerIds = pull.requestedReviewerIds.filter((id) => id !== user.id);
  for (const c of emu.state.reviewComments.values()) if (c.reviewId === review.id) emitReviewCommentEvent(emu, repo, pull, c, 'created', user);
  emitReviewEvent(emu, repo, pull, review, 'submitted', user);
}

/** Stores a review with its (already placed) comments; a review not PENDING is submitted at once. */
export function createReview(
  emu: EmulatorContext,
  repo: Repo,
  pull: PullRequest,
  user: Account,
  fields: { state: ReviewState; body: string; commitId?: string; comments?: readonly PlacedComment[] },
): { review: Review; comments: ReviewComment[] } {
  const id = emu.state.nextId();
  const review: Review = {
    id,
    nodeId: nodeId('PullRequestReview', id),
    repoId: repo.id,
    pullNumber: pull.number,
    userId: user.id,
    body: fields.body,
    state: fields.state,
    commitId: fields.commitId ?? pull.head.sha,
    submittedAt: null,
  };
  emu.state.reviews.set(id, review);
  const comments = (fields.comments ?? []).map((c) => storeReviewComment(emu, repo, pull, user, c, id));
  if (review.state !== 'PENDING') submitReview(emu, repo, pull, review, user);
  return { review, comments };
}
