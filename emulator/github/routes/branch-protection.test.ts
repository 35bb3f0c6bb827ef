import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, octokitFor, startTestEmulator } from '../testing/test-emulator.ts';

describe('branch protection', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  const tokens: Record<string, string> = {};
  const as = (login: string): ReturnType<typeof octokitFor> => octokitFor(emu.url, tokens[login]);
  const repo = { owner: 'guard', repo: 'core' };
  const message = (err: { response?: { data: unknown } }): string => (err.response?.data as { message: string }).message;

  beforeAll(async () => {
    emu = await startTestEmulator();
    for (const login of ['boss', 'dev', 'peer']) tokens[login] = (await emu.control.createUser({ login })).token;
    await emu.control.createOrg({ login: 'guard', admins: ['boss'] });
    await emu.control.createRepo({ ...repo, name: 'core', collaborators: { dev: 'write', peer: 'write' } });
  });

  afterAll(async () => {
    await emu.close();
  });

  it('is set by admins only and shows on the branch', async () => {
    const body = {
      ...repo,
      branch: 'main',
      required_status_checks: { strict: false, contexts: ['ci/test'] },
      enforce_admins: false,
      required_pull_request_reviews: { required_approving_review_count: 1 },
      restrictions: null,
    };
    expect((await failure(as('dev').repos.updateBranchProtection(body))).status).toBe(403);
    const { data } = await as('boss').repos.updateBranchProtection(body);
    expect([data.required_status_checks?.contexts, data.required_pull_request_reviews?.required_approving_review_count, data.enforce_admins?.enabled]).toEqual([['ci/test'], 1, false]);
    expect((await as('boss').repos.getBranchProtection({ ...repo, branch: 'main' })).data.required_status_checks?.contexts).toEqual(['ci/test']);
    expect((await as('dev').repos.listBranches({ ...repo, protected: true })).data.map((b) => b.name)).toEqual(['main']);
    expect((await as('dev').repos.getBranch({ ...repo, branch: 'main' })).data.protected).toBe(true);
  });

  it('blocks merges until required statuses pass and a writer approves; admins bypass unless enforced', async () => {
    const { number, headSha } = await emu.control.createPullRequest({ ...repo, author: 'dev', head: 'change', title: 'Change', files: { 'x.txt': 'x\n' } });
    expect((await as('dev').pulls.get({ ...repo, pull_number: number })).data.mergeable_state).toBe('blocked');
    const merge = () => as('dev').pulls.merge({ ...repo, pull_number: number, merge_method: 'merge' });
    let err = await failure(merge());
    expect([err.status, message(err)]).toEqual([405, 'Required status check "ci/test" is expected.']);
    await as('dev').repos.createCommitStatus({ ...repo, sha: headSha, state: 'failure', context: 'ci/test' });
    expect(message(await failure(merge()))).toBe('Required status check "ci/test" is failing.');
    await as('dev').repos.createCommitStatus({ ...repo, sha: headSha, state: 'success', context: 'ci/test' });
    err = await failure(merge());
    expect(message(err)).toBe('At least 1 approving review is required by reviewers with write access.');
    await as('peer').pulls.createReview({ ...repo, pull_number: number, event: 'APPROVE' });
    expect((await as('dev').pulls.get({ ...repo, pull_number: number })).data.mergeable_state).toBe('clean');
    expect((await merge()).data.merged).toBe(true);

    const other = await emu.control.createPullRequest({ ...repo, author: 'dev', head: 'other', title: 'Other', files: { 'y.txt': 'y\n' } });
    expect((await as('boss').pulls.merge({ ...repo, pull_number: other.number, merge_method: 'squash' })).data.merged).toBe(true);
  });

  it('dismisses approvals when new commits arrive, if asked to', async () => {
    await as('boss').repos.updateBranchProtection({
      ...repo,
      branch: 'main',
      required_status_checks: null,
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 1, dismiss_stale_reviews: true },
      restrictions: null,
    });
    const { number } = await emu.control.createPullRequest({ ...repo, author: 'dev', head: 'stale', title: 'Stale', files: { 's.txt': 's\n' } });
    await as('peer').pulls.createReview({ ...repo, pull_number: number, event: 'APPROVE' });
    expect((await as('dev').pulls.get({ ...repo, pull_number: number })).data.mergeable_state).toBe('clean');
    await emu.control.commitFiles({ ...repo, branch: 'stale', files: { 's.txt': 's2\n' }, message: 'More' });
    expect((await as('dev').pulls.listReviews({ ...repo, pull_number: number })).data.map((r) => r.state)).toEqual(['DISMISSED']);
    expect((await as('dev').pulls.get({ ...repo, pull_number: number })).data.mergeable_state).toBe('blocked');
    const err = await failure(as('boss').pulls.merge({ ...repo, pull_number: number, merge_method: 'merge' }));
    expect([err.status, message(err)]).toEqual([405, 'At least 1 approving review is required by reviewers with write access.']);
  });

  it('is removed with DELETE', async () => {
    expect((await as('boss').repos.deleteBranchProtection({ ...repo, branch: 'main' })).status).toBe(204);
    const err = await failure(as('boss').repos.getBranchProtection({ ...repo, branch: 'main' }));
    expect([err.status, message(err)]).toEqual([404, 'Branch not protected']);
  });
});
