import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProwConfig } from '../../lib/config/index.ts';
import { prowLabels } from '../../lib/jobs/index.ts';
import { formatResponse } from '../respond.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { cancelRefusal, untrustedRefusal } from './comment.ts';
import { helpNotes } from './help-message.ts';
import { triggerPlugin } from './index.ts';
import { withoutCodeBlocks } from './trigger-commands.ts';
import { loadProwConfig, names, triggerKit, widgetsJobs, type TriggerKit } from './trigger-kit.ts';

let h: PluginHarness;
let prow: ProwConfig;
let t: TriggerKit;
beforeAll(async () => {
  h = await startPluginHarness();
  prow = await loadProwConfig(widgetsJobs);
  t = triggerKit(h, () => prow);
});
afterAll(async () => {
  await h.close();
});

const code = { 'src/widget.go': 'package widget\n' };
const repo = { owner: 'acme', repo: 'widgets' };

/** The bot's reply to the last comment on `number`, in Prow's shape. */
async function replyTo(number: number, login: string, body: string, reply: string): Promise<string> {
  const { data } = await h.as('admin').rest.issues.listComments({ ...repo, issue_number: number });
  const asked = data.filter((c) => c.user?.login === login && c.body === body).at(-1);
  if (!asked) throw new Error(`no comment "${body}" by ${login}`);
  return formatResponse(login, reply, body, asked.html_url);
}

async function setStatus(sha: string, context: string, state: 'success' | 'failure' | 'error' | 'pending'): Promise<void> {
  await h.as('admin').rest.repos.createCommitStatus({ ...repo, sha, context, state });
}

describe('/ok-to-test', () => {
  it('is the only way for an untrusted PR to run; afterwards anyone may /test it', async () => {
    const pr = await t.openPull('outsider', code);
    await t.onPull(pr.number, 'opened');
    await t.comment('outsider', pr.number, '/test all');
    expect(await t.jobsOf(pr.number)).toEqual([]);
    const refusal = await replyTo(pr.number, 'outsider', '/test all', untrustedRefusal);
    expect(await t.botComments(pr.number)).toContain(refusal);

    await t.comment('collab', pr.number, 'looks safe\n/ok-to-test');
    expect(await t.labels(pr.number)).toEqual(['ok-to-test']);
    expect(names(await t.jobsOf(pr.number))).toEqual(['lint', 'skipper', 'unit']);

    await t.comment('outsider', pr.number, '/test e2e');
    expect(names(await t.jobsOf(pr.number))).toEqual(['e2e', 'lint', 'skipper', 'unit']);

    // A push to an ok-to-test'd PR runs again, the author still untrusted.
    await h.emu.control.commitFiles({ ...repo, branch: pr.head, files: { 'src/next.go': 'package widget\n' }, message: 'next', pusher: 'outsider' });
    await t.onPull(pr.number, 'synchronize');
    const jobs = await t.jobsOf(pr.number);
    expect(jobs.filter((j) => j.status.state === 'triggered').map((j) => j.spec.job).sort()).toEqual(['lint', 'skipper', 'unit']);
    expect(jobs.filter((j) => j.status.state === 'aborted').map((j) => j.spec.job).sort()).toEqual(['e2e', 'lint', 'skipper', 'unit']);
  });

  it('from an untrusted user is refused on an untrusted PR', async () => {
    const pr = await t.openPull('outsider', code);
    await t.onPull(pr.number, 'opened');
    h.tokens.sockpuppet = (await h.emu.control.createUser({ login: 'sockpuppet' })).token;
    await t.comment('sockpuppet', pr.number, '/ok-to-test');
    expect(await t.labels(pr.number)).toEqual(['needs-ok-to-test']);
    expect(await t.jobsOf(pr.number)).toEqual([]);
    expect(await t.botComments(pr.number)).toContain(await replyTo(pr.number, 'sockpuppet', '/ok-to-test', untrustedRefusal));
  });

  it('can be taken back with /ok-to-test cancel, by trusted users only', async () => {
    const pr = await t.openPull('outsider', code);
    await t.onPull(pr.number, 'opened');
    await t.comment('member', pr.number, '/ok-to-test');
    await t.comment('outsider', pr.number, '/ok-to-test cancel');
    expect(await t.labels(pr.number)).toEqual(['ok-to-test']);
    expect(await t.botComments(pr.number)).toContain(await replyTo(pr.number, 'outsider', '/ok-to-test cancel', cancelRefusal));
    await t.comment('member', pr.number, '/ok-to-test cancel');
    expect(await t.labels(pr.number)).toEqual(['needs-ok-to-test']);
  });

  it('does nothing where ignore_ok_to_test is set', async () => {
    const ignore = { triggers: [{ repos: ['acme'], ignore_ok_to_test: true }] };
    const pr = await t.openPull('outsider', code);
    await t.comment('member', pr.number, '/ok-to-test', ignore);
    expect(await t.labels(pr.number)).toEqual([]);
    expect(await t.jobsOf(pr.number)).toEqual([]);
  });
});

describe('/test', () => {
  it('/test <job> starts that job, forced past its file filter but not its branch filter', async () => {
    const pr = await t.openPull('member', code);
    await t.comment('member', pr.number, '/test e2e');
    await t.comment('member', pr.number, '/test docs');
    expect(names(await t.jobsOf(pr.number))).toEqual(['docs', 'e2e']);
    await t.comment('member', pr.number, '/test release-only');
    expect(names(await t.jobsOf(pr.number))).toEqual(['docs', 'e2e']);
    const [reply] = (await t.botComments(pr.number)).slice(-1);
    expect(reply).toContain(`@member: ${helpNotes.targetNotFound}`);
  });

  it("starts a job by its own trigger regex, and several jobs named in one comment", async () => {
    const pr = await t.openPull('member', code);
    await t.comment('member', pr.number, '/integrate');
    expect(names(await t.jobsOf(pr.number))).toEqual(['integration']);
    await t.comment('member', pr.number, '/test unit\n/test e2e');
    expect(names(await t.jobsOf(pr.number))).toEqual(['e2e', 'integration', 'unit']);
  });

  it('/test all starts what would run on its own, not the jobs that must be named', async () => {
    const pr = await t.openPull('member', { 'docs/a.md': 'a\n' });
    await t.comment('member', pr.number, '/test all');
    expect(names(await t.jobsOf(pr.number))).toEqual(['docs', 'lint', 'unit']);
  });

  it('works on a draft PR, where nothing started on its own', async () => {
    const pr = await t.openPull('member', code, { draft: true });
    await t.comment('member', pr.number, '/test all');
    expect(names(await t.jobsOf(pr.number))).toEqual(['lint', 'skipper', 'unit']);
  });

  it('starts nothing on a PR with a merge conflict', async () => {
    await h.emu.control.commitFiles({ ...repo, branch: 'clash', from: 'main', files: { 'clash.txt': 'theirs\n' }, message: 'theirs', pusher: 'member' });
    await h.emu.control.commitFiles({ ...repo, branch: 'main', files: { 'clash.txt': 'ours\n' }, message: 'ours' });
    const pr = await t.openPull('member', {}, { head: 'clash' });
    await t.comment('member', pr.number, '/test unit');
    expect(await t.jobsOf(pr.number)).toEqual([]);
  });

  it('/test ? lists the required and optional jobs and what /test all runs, as Prow does; a later /test removes the list', async () => {
    const pr = await t.openPull('member', code);
    await t.comment('member', pr.number, '/test ?');
    const list =
      'The following commands are available to trigger required jobs:\n* `/test docs`\n* `/test e2e`\n* `/test skipper`\n* `/test unit`\n\n' +
      'The following commands are available to trigger optional jobs:\n* `/integrate`\n* `/test lint`\n\n' +
      'Use `/test all` to run the following jobs that were automatically triggered:\n* `lint`\n* `skipper`\n* `unit`\n\n';
    expect(await t.botComments(pr.number)).toEqual([await replyTo(pr.number, 'member', '/test ?', list)]);
    expect(await t.jobsOf(pr.number)).toEqual([]);

    await t.comment('member', pr.number, '/test');
    expect(await t.botComments(pr.number)).toContain(await replyTo(pr.number, 'member', '/test', helpNotes.testWithoutTarget + list));
    await t.comment('member', pr.number, '/retest e2e');
    expect(await t.botComments(pr.number)).toContain(await replyTo(pr.number, 'member', '/retest e2e', helpNotes.retestWithTarget + list));

    await t.comment('member', pr.number, '/test unit');
    expect(names(await t.jobsOf(pr.number))).toEqual(['unit']);
    expect(await t.botComments(pr.number)).toEqual([]);
  });

  it('ignores commands inside fenced code blocks', async () => {
    const pr = await t.openPull('member', code);
    await t.comment('member', pr.number, 'To run everything, say:\n```\n/test all\n```');
    expect(await t.jobsOf(pr.number)).toEqual([]);
    expect(await t.botComments(pr.number)).toEqual([]);
    expect(withoutCodeBlocks('a\n```sh\n/test all\n```\n/test unit')).toBe('a\n/test unit');
  });
});

describe('/retest', () => {
  it('reruns failed jobs and starts never-reported ones; /retest-required leaves optional ones out; both are labelled retest', async () => {
    const pr = await t.openPull('member', code);
    await setStatus(pr.sha, 'unit', 'failure');
    await setStatus(pr.sha, 'lint', 'failure');
    await setStatus(pr.sha, 'e2e', 'error');
    await setStatus(pr.sha, 'docs', 'success');
    // skipper never reported; integration never reported but must be named; docs does not run on src/.
    await t.comment('member', pr.number, '/retest');
    let jobs = await t.jobsOf(pr.number);
    expect(names(jobs)).toEqual(['e2e', 'lint', 'skipper', 'unit']);
    expect(jobs.every((j) => j.metadata.labels[prowLabels.retest] === 'true')).toBe(true);

    const next = await t.openPull('member', code);
    await setStatus(next.sha, 'unit', 'failure');
    await setStatus(next.sha, 'lint', 'failure');
    await setStatus(next.sha, 'skipper', 'success');
    await t.comment('member', next.number, '/retest-required');
    jobs = await t.jobsOf(next.number);
    expect(names(jobs)).toEqual(['unit']);
    expect(jobs[0]?.metadata.labels[prowLabels.retest]).toBe('true');
  });

  it('judges by the latest status of each context: a job that failed and then passed is not rerun', async () => {
    const pr = await t.openPull('member', code);
    for (const context of ['lint', 'skipper']) await setStatus(pr.sha, context, 'success');
    await setStatus(pr.sha, 'unit', 'failure');
    await setStatus(pr.sha, 'unit', 'success');
    await t.comment('member', pr.number, '/retest');
    expect(await t.jobsOf(pr.number)).toEqual([]);
  });

  it('/test unit does not get the retest label', async () => {
    const pr = await t.openPull('member', code);
    await t.comment('member', pr.number, '/test unit');
    const [job] = await t.jobsOf(pr.number);
    expect(job?.metadata.labels[prowLabels.retest]).toBeUndefined();
  });
});

describe('help', () => {
  it('offers its commands to /plugin-help', () => {
    expect(triggerPlugin.help.commands.map((c) => c.usage)).toEqual(['/ok-to-test [cancel]', '/test (<job name>|all|?)', '/retest', '/retest-required', '/test-manual-required']);
    expect(triggerPlugin.help.commands.find((c) => c.usage === '/retest')?.whoCanUse).toBe('Anyone can trigger this command on a trusted PR.');
  });
});
