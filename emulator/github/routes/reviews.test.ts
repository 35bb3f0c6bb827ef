import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, octokitFor, startTestEmulator } from '../testing/test-emulator.ts';

describe('reviews, review comments and review requests', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  const tokens: Record<string, string> = {};
  const as = (login: string): ReturnType<typeof octokitFor> => octokitFor(emu.url, tokens[login]);
  const repo = { owner: 'acme', repo: 'app' };
  let pullNumber: number;
  const message = (err: { response?: { data: unknown } }): unknown => err.response?.data;

  beforeAll(async () => {
    emu = await startTestEmulator();
    for (const login of ['author', 'maintainer', 'reviewer', 'stranger']) tokens[login] = (await emu.control.createUser({ login })).token;
    await emu.control.createOrg({ login: 'acme', admins: ['maintainer'] });
    await emu.control.createRepo({ ...repo, name: 'app', files: { 'main.go': 'package main\n\nfunc main() {}\n' }, collaborators: { author: 'write', reviewer: 'read' } });
    ({ number: pullNumber } = await emu.control.createPullRequest({
      ...repo,
      author: 'author',
      head: 'topic',
      title: 'Say hello',
      files: { 'main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' },
    }));
  });

  afterAll(async () => {
    await emu.close();
  });

  it('requests reviews only from collaborators other than the author', async () => {
    const stranger = await failure(as('maintainer').pulls.requestReviewers({ ...repo, pull_number: pullNumber, reviewers: ['stranger'] }));
    expect(stranger.status).toBe(422);
    expect(message(stranger)).toMatchObject({ message: expect.stringContaining('Reviews may only be requested from collaborators') as unknown });
    const self = await failure(as('maintainer').pulls.requestReviewers({ ...repo, pull_number: pullNumber, reviewers: ['author'] }));
    expect([self.status, (message(self) as { message: string }).message]).toEqual([422, 'Review cannot be requested from pull request author.']);
    const { status, data } = await as('maintainer').pulls.requestReviewers({ ...repo, pull_number: pullNumber, reviewers: ['reviewer', 'maintainer'] });
    expect([status, data.requested_reviewers?.map((u) => u.login)]).toEqual([201, ['reviewer', 'maintainer']]);
    await as('maintainer').pulls.removeRequestedReviewers({ ...repo, pull_number: pullNumber, reviewers: ['maintainer'] });
    expect((await as('stranger').pulls.listRequestedReviewers({ ...repo, pull_number: pullNumber })).data.users.map((u) => u.login)).toEqual(['reviewer']);
  });

  it('submits reviews by GitHub rules: no approving your own PR, pending reviews stay private', async () => {
    const own = await failure(as('author').pulls.createReview({ ...repo, pull_number: pullNumber, event: 'APPROVE' }));
    expect([own.status, message(own)]).toMatchObject([422, { errors: ['Can not approve your own pull request'] }]);
    const pending = await as('stranger').pulls.createReview({ ...repo, pull_number: pullNumber, body: 'thinking' });
    expect(pending.data.state).toBe('PENDING');
    expect((await as('reviewer').pulls.listReviews({ ...repo, pull_number: pullNumber })).data).toEqual([]);
    await as('stranger').pulls.submitReview({ ...repo, pull_number: pullNumber, review_id: pending.data.id, event: 'COMMENT', body: 'looks fine' });
    const approval = await as('reviewer').pulls.createReview({ ...repo, pull_number: pullNumber, event: 'APPROVE' });
    expect(approval.data.state).toBe('APPROVED');
    expect(approval.data.commit_id).toBe((await as('reviewer').pulls.get({ ...repo, pull_number: pullNumber })).data.head.sha);
    const { data: reviews } = await as('author').pulls.listReviews({ ...repo, pull_number: pullNumber });
    expect(reviews.map((r) => [r.user?.login, r.state])).toEqual([
      ['stranger', 'COMMENTED'],
      ['reviewer', 'APPROVED'],
    ]);
    // A requested reviewer who reviews is no longer requested.
    expect((await as('author').pulls.listRequestedReviewers({ ...repo, pull_number: pullNumber })).data.users).toEqual([]);
    expect((await failure(as('reviewer').pulls.dismissReview({ ...repo, pull_number: pullNumber, review_id: approval.data.id, message: 'no' }))).status).toBe(403);
    const { data: dismissed } = await as('maintainer').pulls.dismissReview({ ...repo, pull_number: pullNumber, review_id: approval.data.id, message: 'stale' });
    expect(dismissed.state).toBe('DISMISSED');
    const commented = reviews[0];
    if (!commented) throw new Error('no review');
    expect((await failure(as('maintainer').pulls.dismissReview({ ...repo, pull_number: pullNumber, review_id: commented.id, message: 'x' }))).status).toBe(422);
  });

  it('places review comments on lines of the diff and refuses lines it does not show', async () => {
    const commit_id = (await as('reviewer').pulls.get({ ...repo, pull_number: pullNumber })).data.head.sha;
    const { data: comment } = await as('reviewer').pulls.createReviewComment({ ...repo, pull_number: pullNumber, commit_id, body: 'nice import', path: 'main.go', line: 3, side: 'RIGHT' });
    expect([comment.path, comment.line, comment.side, comment.position]).toEqual(['main.go', 3, 'RIGHT', 4]);
    expect(comment.diff_hunk).toBe('@@ -1,3 +1,5 @@\n package main\n \n-func main() {}\n+import "fmt"');
    expect(comment.pull_request_review_id).not.toBeNull();
    const { data: reply } = await as('author').pulls.createReplyForReviewComment({ ...repo, pull_number: pullNumber, comment_id: comment.id, body: 'thanks' });
    expect([reply.in_reply_to_id, reply.path, reply.line]).toEqual([comment.id, 'main.go', 3]);
    const badLine = await failure(as('reviewer').pulls.createReviewComment({ ...repo, pull_number: pullNumber, commit_id, body: 'x', path: 'main.go', line: 40, side: 'RIGHT' }));
    expect([badLine.status, message(badLine)]).toMatchObject([422, { errors: [{ message: 'pull_request_review_thread.line could not be resolved' }] }]);
    const badPath = await failure(as('reviewer').pulls.createReviewComment({ ...repo, pull_number: pullNumber, commit_id, body: 'x', path: 'nope.go', line: 1, side: 'RIGHT' }));
    expect(badPath.status).toBe(422);
    const { data: review } = await as('reviewer').pulls.createReview({
      ...repo,
      pull_number: pullNumber,
      event: 'REQUEST_CHANGES',
      body: 'see inline',
      comments: [{ path: 'main.go', line: 5, body: 'use log' }],
    });
    const { data: inReview } = await as('author').pulls.listCommentsForReview({ ...repo, pull_number: pullNumber, review_id: review.id });
    expect(inReview.map((c) => [c.body, c.line])).toEqual([['use log', 5]]);
    const { data: all } = await as('author').pulls.listReviewComments({ ...repo, pull_number: pullNumber });
    expect(all.map((c) => c.body)).toEqual(['nice import', 'thanks', 'use log']);
    expect((await as('author').pulls.listReviewCommentsForRepo(repo)).data).toHaveLength(3);
  });
});
