import type { EmulatorContext } from '../context.ts';
import { renderPull, type PullGitFacts } from '../render/pull.ts';
import { renderPullSimple } from '../render/pull-simple.ts';
import { renderReview, renderReviewComment } from '../render/review.ts';
import type { Account, PullRequest, Repo, Review, ReviewComment } from '../state/types.ts';

/** Emits `pull_request` with `action`; `extra` holds the action's own keys (`before`/`after`, `requested_reviewer`...). */
export function emitPullEvent(
  emu: EmulatorContext,
  repo: Repo,
  pull: PullRequest,
  action: string,
  sender: Account,
  facts: PullGitFacts | undefined,
  extra: Record<string, unknown> = {},
): void {
  emu.webhooks.emit({ event: 'pull_request', action, repo, sender, payload: { number: pull.number, pull_request: renderPull(emu, repo, pull, facts), ...extra } });
}

/** Emits `pull_request_review` (`submitted`, `edited`, `dismissed`). */
export function emitReviewEvent(
  emu: EmulatorContext,
  repo: Repo,
  pull: PullRequest,
  review: Review,
  action: string,
  sender: Account,
  extra: Record<string, unknown> = {},
): void {
  emu.webhooks.emit({
    event: 'pull_request_review',
    action,
    repo,
    sender,
    // Webhooks write the review state in lower case, REST in upper case.
    payload: { review: { ...renderReview(emu, repo, review), state: review.state.toLowerCase() }, pull_request: renderPullSimple(emu, repo, pull), ...extra },
  });
}

/** Emits `pull_request_review_comment` (`created`, `edited`, `deleted`). */
export function emitReviewCommentEvent(emu: EmulatorContext, repo: Repo, pull: PullRequest, comment: ReviewComment, action: string, sender: Account): void {
  emu.webhooks.emit({
    event: 'pull_request_review_comment',
    action,
    repo,
    sender,
    payload: { comment: renderReviewComment(emu, repo, comment), pull_request: renderPullSimple(emu, repo, pull) },
  });
}
