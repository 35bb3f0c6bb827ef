import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProwConfig } from '../../lib/config/index.ts';
import { prowLabels } from '../../lib/jobs/index.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { abortedByTrigger } from './abort-presubmits.ts';
import { draftNotice } from './pull-request.ts';
import { loadProwConfig, names, triggerKit, widgetsJobs, type TriggerKit } from './trigger-kit.ts';

let h: PluginHarness;
let prow: ProwConfig;
let t: TriggerKit;
let mainSha: string;
beforeAll(async () => {
  h = await startPluginHarness();
  prow = await loadProwConfig(widgetsJobs);
  t = triggerKit(h, () => prow);
  for (const login of ['friend', 'stranger']) await h.emu.control.createUser({ login });
  await h.emu.control.createOrg({ login: 'friends', admins: ['friend'] });
  await h.emu.control.createApp({ slug: 'dependabot', permissions: { contents: 'write', pull_requests: 'write' } });
  mainSha = (await h.as('admin').rest.git.getRef({ owner: 'acme', repo: 'widgets', ref: 'heads/main' })).data.object.sha;
});
afterAll(async () => {
  await h.close();
});

const code = { 'src/widget.go': 'package widget\n' };

describe('trigger on a new PR', () => {
  it("starts a trusted author's presubmits that run on their own, as their file filters say, with Prow's refs and labels", async () => {
    const pr = await t.openPull('member', code);
    const ctx = t.context();
    await t.onPull(pr.number, 'opened', ctx);
    const jobs = await t.jobsOf(pr.number);
    // docs only runs for docs/, e2e and integration only when named, release-only on release branches.
    expect(names(jobs)).toEqual(['lint', 'skipper', 'unit']);
    const unit = jobs.find((j) => j.spec.job === 'unit');
    expect(unit?.metadata.namespace).toBe('prow-jobs');
    expect(unit?.spec).toMatchObject({ type: 'presubmit', job: 'unit', context: 'unit', rerun_command: '/test unit', report: true, namespace: 'test-pods' });
    expect(unit?.spec.refs).toMatchObject({ org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: mainSha, pulls: [{ number: pr.number, author: 'member', sha: pr.sha, ref: `refs/pull/${String(pr.number)}/head` }] });
    expect(unit?.metadata.labels).toMatchObject({
      [prowLabels.createdByProw]: 'true',
      [prowLabels.type]: 'presubmit',
      [prowLabels.job]: 'unit',
      [prowLabels.pull]: String(pr.number),
      [prowLabels.isOptional]: 'false',
      [prowLabels.eventGuid]: ctx.delivery,
    });
    expect(jobs.find((j) => j.spec.job === 'lint')?.metadata.labels[prowLabels.isOptional]).toBe('true');
    expect(jobs.every((j) => j.status.state === 'triggered' && j.status.build_id === undefined)).toBe(true);
    // Nothing is said on GitHub: the statuses are crier's to report.
    expect(await t.botComments(pr.number)).toEqual([]);
    expect(await t.labels(pr.number)).toEqual([]);
  });

  it('runs run_if_changed jobs on matching files and leaves skip_if_only_changed ones out when every file is skipped', async () => {
    const pr = await t.openPull('member', { 'docs/guide.md': 'how to\n' });
    await t.onPull(pr.number, 'opened');
    expect(names(await t.jobsOf(pr.number))).toEqual(['docs', 'lint', 'unit']);
  });

  it('creates each job once when the delivery is retried', async () => {
    const pr = await t.openPull('member', code);
    const ctx = t.context();
    await t.onPull(pr.number, 'opened', ctx);
    await t.onPull(pr.number, 'opened', ctx);
    expect(names(await t.jobsOf(pr.number))).toEqual(['lint', 'skipper', 'unit']);
  });

  it('welcomes an untrusted author once, labels the PR needs-ok-to-test, and starts nothing', async () => {
    const pr = await t.openPull('outsider', code);
    const ctx = t.context();
    await t.onPull(pr.number, 'opened', ctx);
    await t.onPull(pr.number, 'opened', ctx);
    expect(await t.jobsOf(pr.number)).toEqual([]);
    expect(await t.labels(pr.number)).toEqual(['needs-ok-to-test']);
    const comments = await t.botComments(pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain('Hi @outsider. Thanks for your PR.');
    expect(comments[0]).toContain("I'm waiting for a [acme](https://github.com/orgs/acme/people) member to verify that this patch is reasonable to test.");
    expect(comments[0]).toContain('they should reply with `/ok-to-test` on its own line');
    expect(comments[0]).toContain('Regular contributors should [join the org](https://github.com/orgs/acme/people) to skip this step.');
  });

  it('trusts collaborators unless only_org_members', async () => {
    const trusted = await t.openPull('collab', code);
    await t.onPull(trusted.number, 'opened');
    expect(names(await t.jobsOf(trusted.number))).toEqual(['lint', 'skipper', 'unit']);
    const untrusted = await t.openPull('collab', code);
    await t.onPull(untrusted.number, 'opened', t.context({ triggers: [{ repos: ['acme/widgets'], only_org_members: true }] }));
    expect(await t.jobsOf(untrusted.number)).toEqual([]);
    expect(await t.labels(untrusted.number)).toEqual(['needs-ok-to-test']);
  });

  it('trusts the bots of the Apps in trusted_apps', async () => {
    const untrusted = await t.openPull('dependabot[bot]', code);
    await t.onPull(untrusted.number, 'opened');
    expect(await t.jobsOf(untrusted.number)).toEqual([]);
    expect(await t.labels(untrusted.number)).toEqual(['needs-ok-to-test']);
    const trusted = await t.openPull('dependabot[bot]', code);
    await t.onPull(trusted.number, 'opened', t.context({ triggers: [{ repos: ['acme'], trusted_apps: ['dependabot'] }] }));
    expect(names(await t.jobsOf(trusted.number))).toEqual(['lint', 'skipper', 'unit']);
    expect(await t.botComments(trusted.number)).toEqual([]);
  });

  it('trusts members of trusted_org, and names that org in the welcome to others', async () => {
    const withOrg = { triggers: [{ repos: ['acme'], trusted_org: 'friends', join_org_url: 'https://example.com/join' }] };
    const byFriend = await t.openPull('friend', code);
    await t.onPull(byFriend.number, 'opened');
    expect(await t.jobsOf(byFriend.number)).toEqual([]);
    const trusted = await t.openPull('friend', code);
    await t.onPull(trusted.number, 'opened', t.context(withOrg));
    expect(names(await t.jobsOf(trusted.number))).toEqual(['lint', 'skipper', 'unit']);
    const byStranger = await t.openPull('stranger', code);
    await t.onPull(byStranger.number, 'opened', t.context(withOrg));
    const [welcome] = await t.botComments(byStranger.number);
    expect(welcome).toContain('[acme](https://github.com/orgs/acme/people) or [friends](https://github.com/orgs/friends/people) member');
    expect(welcome).toContain('[join the org](https://example.com/join)');
  });

  it('with ignore_ok_to_test, welcomes an untrusted author without the label and without offering /ok-to-test', async () => {
    const pr = await t.openPull('stranger', code);
    await t.onPull(pr.number, 'opened', t.context({ triggers: [{ repos: ['acme/widgets'], ignore_ok_to_test: true }] }));
    expect(await t.labels(pr.number)).toEqual([]);
    const [welcome] = await t.botComments(pr.number);
    expect(welcome).toContain('PRs from untrusted users cannot be marked as trusted with `/ok-to-test` in this repo');
  });

  it('starts nothing for a draft, and says how to test it anyway', async () => {
    const pr = await t.openPull('member', code, { draft: true });
    await t.onPull(pr.number, 'opened');
    expect(await t.jobsOf(pr.number)).toEqual([]);
    expect(await t.botComments(pr.number)).toEqual([draftNotice]);
  });

  it('starts nothing for a PR GitHub reports as conflicting', async () => {
    await h.emu.control.commitFiles({ owner: 'acme', repo: 'widgets', branch: 'conflicting', from: 'main', files: { 'shared.txt': 'theirs\n' }, message: 'theirs', pusher: 'member' });
    await h.emu.control.commitFiles({ owner: 'acme', repo: 'widgets', branch: 'main', files: { 'shared.txt': 'ours\n' }, message: 'ours' });
    const pr = await t.openPull('member', {}, { head: 'conflicting' });
    expect((await t.pullEvent(pr.number, 'opened')).pull_request.mergeable).toBe(false);
    await t.onPull(pr.number, 'opened');
    expect(await t.jobsOf(pr.number)).toEqual([]);
    expect(await t.botComments(pr.number)).toEqual([]);
  });
});

describe('trigger on a push to a PR', () => {
  it("aborts the old head's running jobs, leaves finished ones, and starts the new head's, once even when retried", async () => {
    const pr = await t.openPull('member', code);
    await t.onPull(pr.number, 'opened');
    const first = await t.jobsOf(pr.number);
    const done = first.find((j) => j.spec.job === 'lint');
    if (!done) throw new Error('lint did not start');
    await h.jobs.update(done.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'success', completionTime: new Date().toISOString() } }));

    const { sha } = await h.emu.control.commitFiles({ owner: 'acme', repo: 'widgets', branch: pr.head, files: { 'src/more.go': 'package widget\n' }, message: 'more', pusher: 'member' });
    const sync = await t.pullEvent(pr.number, 'synchronize');
    expect(sync.pull_request.head.sha).toBe(sha);
    const ctx = t.context();
    await t.onPull(pr.number, 'synchronize', ctx);
    await t.onPull(pr.number, 'synchronize', ctx);

    const all = await t.jobsOf(pr.number);
    const old = all.filter((j) => j.spec.refs?.pulls?.[0]?.sha === pr.sha);
    const fresh = all.filter((j) => j.spec.refs?.pulls?.[0]?.sha === sha);
    expect(old.map((j) => [j.spec.job, j.status.state]).sort()).toEqual([
      ['lint', 'success'],
      ['skipper', 'aborted'],
      ['unit', 'aborted'],
    ]);
    for (const j of old.filter((o) => o.status.state === 'aborted')) {
      expect(j.status.description).toBe(abortedByTrigger);
      expect(Date.parse(j.status.completionTime ?? '')).not.toBeNaN();
    }
    expect(fresh.map((j) => [j.spec.job, j.status.state]).sort()).toEqual([
      ['lint', 'triggered'],
      ['skipper', 'triggered'],
      ['unit', 'triggered'],
    ]);
  });

  it('on an untrusted PR waiting for /ok-to-test, aborts and starts nothing', async () => {
    const pr = await t.openPull('outsider', code);
    await t.onPull(pr.number, 'opened');
    await h.emu.control.commitFiles({ owner: 'acme', repo: 'widgets', branch: pr.head, files: { 'src/x.go': 'package x\n' }, message: 'x', pusher: 'outsider' });
    await t.onPull(pr.number, 'synchronize');
    expect(await t.jobsOf(pr.number)).toEqual([]);
    expect(await t.labels(pr.number)).toEqual(['needs-ok-to-test']);
  });
});

describe('trigger on other PR events', () => {
  it('aborts the running jobs of a closed PR', async () => {
    const pr = await t.openPull('member', code);
    await t.onPull(pr.number, 'opened');
    await h.as('member').rest.pulls.update({ owner: 'acme', repo: 'widgets', pull_number: pr.number, state: 'closed' });
    await t.onPull(pr.number, 'closed');
    const jobs = await t.jobsOf(pr.number);
    expect(jobs.map((j) => j.status.state)).toEqual(['aborted', 'aborted', 'aborted']);
  });

  it('runs again when the base branch changes, and not when only the title does', async () => {
    await h.emu.control.commitFiles({ owner: 'acme', repo: 'widgets', branch: 'release-1.0', from: 'main', files: { 'RELEASE': '1.0\n' }, message: 'release branch' });
    const pr = await t.openPull('member', code);
    await h.as('member').rest.pulls.update({ owner: 'acme', repo: 'widgets', pull_number: pr.number, title: 'a better title' });
    await t.onPull(pr.number, 'edited');
    expect(await t.jobsOf(pr.number)).toEqual([]);
    await h.as('member').rest.pulls.update({ owner: 'acme', repo: 'widgets', pull_number: pr.number, base: 'release-1.0' });
    await t.onPull(pr.number, 'edited');
    const jobs = await t.jobsOf(pr.number);
    expect(names(jobs)).toEqual(['lint', 'release-only', 'skipper', 'unit']);
    expect(jobs[0]?.spec.refs?.base_ref).toBe('release-1.0');
  });

  it('runs an untrusted PR when a person adds ok-to-test, not when the bot does', async () => {
    const pr = await t.openPull('outsider', code);
    await h.bot.rest.issues.addLabels({ owner: 'acme', repo: 'widgets', issue_number: pr.number, labels: ['ok-to-test'] });
    await t.onPull(pr.number, 'labeled');
    expect(await t.jobsOf(pr.number)).toEqual([]);
    await h.as('admin').rest.issues.removeLabel({ owner: 'acme', repo: 'widgets', issue_number: pr.number, name: 'ok-to-test' });
    await h.as('admin').rest.issues.addLabels({ owner: 'acme', repo: 'widgets', issue_number: pr.number, labels: ['ok-to-test'] });
    await t.onPull(pr.number, 'labeled');
    expect(names(await t.jobsOf(pr.number))).toEqual(['lint', 'skipper', 'unit']);
  });

  it('runs an untrusted PR once when it gets lgtm', async () => {
    const pr = await t.openPull('outsider', code);
    await h.as('admin').rest.issues.addLabels({ owner: 'acme', repo: 'widgets', issue_number: pr.number, labels: ['lgtm'] });
    await t.onPull(pr.number, 'labeled');
    expect(names(await t.jobsOf(pr.number))).toEqual(['lint', 'skipper', 'unit']);
  });
});
