import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { octokitFor, startTestEmulator } from '../../../emulator/github/testing/test-emulator.ts';
import type { ProwConfig } from '../../../lib/config/index.ts';
import { createGitHubClient, type GitHubClient } from '../../../lib/github/github-client.ts';
import { createRedisJobStore } from '../../../lib/jobs/redis-job-store.ts';
import { newProwJob, prowLabels, refsForPullRequest, type ProwJob, type ProwJobState, type ProwJobType, type Refs } from '../../../lib/jobs/index.ts';
import { loadKubernetesConfig } from '../../../test/helpers/kubernetes-prowjobs.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { testReportTag, tableLines } from './failure-comment.ts';
import { createGitHubReporter, type GitHubReporterOptions } from './github-reporter.ts';
import type { Reporter } from './reporter.ts';

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>;

const repo = { owner: 'acme', repo: 'widgets' };

function prowConfig(extra: Partial<ProwConfig> = {}): ProwConfig {
  return { presubmits: {}, postsubmits: {}, periodics: [], presets: [], prowjob_namespace: 'default', pod_namespace: 'test-pods', ...extra };
}

describe('the GitHub reporter, against the emulator', () => {
  let emu: Emulator;
  let github: GitHubClient;
  let alice: Octokit;
  let mainSha: string;
  let logs: ReturnType<typeof memoryLogger>;
  let config: ProwConfig;
  let pr: { number: number; refs: Refs };

  const reporter = (opts: Partial<GitHubReporterOptions> = {}): Reporter =>
    createGitHubReporter({ github, config: () => config, botLogin: 'prow-bot', log: logs.logger, ...opts });

  /** A PR by alice, as trigger would see it: its refs on the current main. */
  const openPull = async (title: string): Promise<{ number: number; refs: Refs }> => {
    const { number } = await emu.control.createPullRequest({ ...repo, author: 'alice', head: `topic-${title}`, title, files: { [`${title}.txt`]: title } });
    const { data } = await alice.rest.pulls.get({ ...repo, pull_number: number });
    return { number, refs: refsForPullRequest(data, mainSha) };
  };

  const job = (context: string, state: ProwJobState, over: { type?: ProwJobType; refs?: Refs; report?: boolean; description?: string } = {}): ProwJob => {
    const spec = {
      type: over.type ?? 'presubmit',
      agent: 'kubernetes' as const,
      job: context,
      refs: over.refs ?? pr.refs,
      report: over.report ?? true,
      context,
      rerun_command: `/test ${context}`,
    };
    const made = newProwJob(spec, { [prowLabels.isOptional]: 'false' });
    const url = `https://prow.example/view/${context}/${made.metadata.name}`;
    return { ...made, status: { ...made.status, state, url, description: over.description ?? `Job ${state}.` } };
  };

  const statuses = async (ref: string): Promise<{ state: string; context: string; target_url: string | null; description: string | null }[]> =>
    (await alice.rest.repos.listCommitStatusesForRef({ ...repo, ref })).data;

  const botReports = async (number = pr.number): Promise<{ id: number; body: string }[]> => {
    const { data } = await alice.rest.issues.listComments({ ...repo, issue_number: number });
    return data.filter((c) => c.user?.login === 'prow-bot' && (c.body ?? '').includes(testReportTag)).map((c) => ({ id: c.id, body: c.body ?? '' }));
  };

  const rowContexts = (body: string): string[] => tableLines(body).map((l) => l.split(' | ')[0] ?? '');

  beforeAll(async () => {
    emu = await startTestEmulator();
    const botToken = (await emu.control.createUser({ login: 'prow-bot' })).token;
    const aliceToken = (await emu.control.createUser({ login: 'alice' })).token;
    await emu.control.createOrg({ login: 'acme', admins: ['prow-bot'], members: ['alice'], defaultRepoPermission: 'write' });
    ({ sha: mainSha } = await emu.control.createRepo({ owner: 'acme', name: 'widgets' }));
    alice = octokitFor(emu.url, aliceToken);
    github = createGitHubClient({
      credentials: { kind: 'token', token: botToken },
      logger: memoryLogger('warn').logger,
      baseUrl: emu.url,
      rateLimits: { enabled: false },
      retries: { retries: 0 },
    });
  });

  afterAll(async () => {
    await emu.close();
  });

  beforeEach(async () => {
    logs = memoryLogger('debug');
    config = prowConfig();
    pr = await openPull(`pr${String(Math.random()).slice(2, 8)}`);
  });

  it('sets a pending and then a success status on the PR head, linking to the job', async () => {
    const r = reporter();
    const pending = job('unit', 'pending');
    await r.report(pending);
    await r.report({ ...pending, status: { ...pending.status, state: 'success', description: 'Job succeeded.' } });
    const head = pr.refs.pulls?.[0]?.sha ?? '';
    const seen = await statuses(head);
    expect(seen.map((s) => [s.context, s.state, s.target_url])).toEqual([
      ['unit', 'success', pending.status.url],
      ['unit', 'pending', pending.status.url],
    ]);
    expect(seen[0]?.description).toBe(`Job succeeded.${'\u2001'.repeat(20)} BaseSHA:${mainSha}`);
    expect(await botReports()).toEqual([]);
  });

  it('keeps one failure comment: a row per failed job, recreated on a new failure, edited when a rerun passes, gone when none fail', async () => {
    const r = reporter();
    await r.report(job('unit', 'failure'));
    const [first, ...others] = await botReports();
    expect(others).toEqual([]);
    expect(first?.body.split('\n')[0]).toBe(
      '@alice: The following test **failed**, say `/retest` to rerun all failed tests or `/retest-required` to rerun all mandatory failed tests:',
    );
    expect(rowContexts(first?.body ?? '')).toEqual(['unit']);

    const e2e = job('e2e', 'failure');
    await r.report(e2e);
    const second = await botReports();
    expect(second).toHaveLength(1);
    expect(second[0]?.id).not.toBe(first?.id);
    expect(rowContexts(second[0]?.body ?? '')).toEqual(['unit', 'e2e']);
    expect(second[0]?.body).toContain(`e2e | ${pr.refs.pulls?.[0]?.sha ?? ''} | [link](${e2e.status.url ?? ''}) | true | \`/test e2e\``);

    await r.report(job('unit', 'success'));
    const third = await botReports();
    expect(third.map((c) => c.id)).toEqual([second[0]?.id]);
    expect(rowContexts(third[0]?.body ?? '')).toEqual(['e2e']);

    await r.report(job('e2e', 'success'));
    expect(await botReports()).toEqual([]);
  });

  it('posts one comment with both rows when two jobs on a PR fail at the same moment', async () => {
    const r = reporter();
    await Promise.all([r.report(job('unit', 'failure')), r.report(job('e2e', 'failure')), r.report(job('lint', 'failure'))]);
    const reports = await botReports();
    expect(reports).toHaveLength(1);
    expect(rowContexts(reports[0]?.body ?? '').sort()).toEqual(['e2e', 'lint', 'unit']);
  });

  it('sets a postsubmit\'s status on its base SHA and never comments', async () => {
    const { data: branch } = await alice.rest.repos.getBranch({ ...repo, branch: 'main' });
    const refs: Refs = { org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: branch.commit.sha };
    await reporter().report(job('post-build', 'failure', { type: 'postsubmit', refs }));
    expect((await statuses(branch.commit.sha)).map((s) => [s.context, s.state])).toEqual([['post-build', 'failure']]);
    expect(await botReports()).toEqual([]);
  });

  it('sets statuses but posts no comment for a repo or org in no_comment_repos', async () => {
    for (const ident of ['acme/widgets', 'acme']) {
      config = prowConfig({ github_reporter: { no_comment_repos: [ident] } });
      await reporter().report(job(`unit-${ident}`, 'failure'));
    }
    expect((await statuses(pr.refs.pulls?.[0]?.sha ?? '')).map((s) => s.state)).toEqual(['failure', 'failure']);
    expect(await botReports()).toEqual([]);
  });

  it('reports neither batches nor jobs with report: false, nor types left out of job_types_to_report', async () => {
    const other = await openPull(`other${String(Math.random()).slice(2, 8)}`);
    const batch = job('unit', 'failure', { type: 'batch', refs: { ...pr.refs, pulls: [...(pr.refs.pulls ?? []), ...(other.refs.pulls ?? [])] } });
    const silent = job('unit', 'failure', { report: false });
    const r = reporter();
    expect([r.shouldReport(batch), r.shouldReport(silent), r.shouldReport(job('unit', 'failure'))]).toEqual([false, false, true]);
    await r.report(batch);
    await r.report(silent);
    config = prowConfig({ github_reporter: { job_types_to_report: ['postsubmit'] } });
    expect(r.shouldReport(job('unit', 'failure'))).toBe(false);
    await r.report(job('unit', 'failure'));
    expect(await statuses(pr.refs.pulls?.[0]?.sha ?? '')).toEqual([]);
    expect(await botReports()).toEqual([]);
  });

  it('truncates a long description to 140 bytes, keeping the base SHA', async () => {
    const long = `Job failed: ${'x'.repeat(200)} (see logs)`;
    await reporter().report(job('unit', 'pending', { description: long }));
    const [status] = await statuses(pr.refs.pulls?.[0]?.sha ?? '');
    expect(Buffer.byteLength(status?.description ?? '', 'utf8')).toBe(140);
    expect(status?.description).toMatch(new RegExp(`^Job failed: x+ \\.\\.\\. x+ \\(see logs\\) BaseSHA:${mainSha}$`));
  });

  it('gives up quietly when the SHA has the most statuses GitHub allows, and comments nothing then', async () => {
    await emu.control.faults({
      count: 1,
      status: 422,
      method: 'POST',
      pathPrefix: '/repos/acme/widgets/statuses',
      message: 'This SHA and context has reached the maximum number of statuses.',
    });
    await reporter().report(job('unit', 'failure'));
    expect(logs.lines.filter((l) => l.msg === 'github status not set, and not retried').map((l) => l.reason)).toEqual(['too-many-statuses']);
    expect(await botReports()).toEqual([]);
  });

  it('gives up quietly when the commit is gone, and throws other failures for crier to retry', async () => {
    const gone = { ...pr.refs, pulls: [{ ...(pr.refs.pulls?.[0] ?? { number: pr.number, author: 'alice' }), sha: 'f'.repeat(40) }] };
    await reporter().report(job('unit', 'failure', { refs: gone }));
    expect(logs.lines.filter((l) => l.msg === 'github status not set, and not retried').map((l) => l.reason)).toEqual(['commit-not-found']);
    await emu.control.faults({ count: 1, status: 422, method: 'POST', pathPrefix: '/repos/acme/widgets/statuses', message: 'Validation Failed' });
    await expect(reporter().report(job('unit', 'failure'))).rejects.toMatchObject({ status: 422 });
  });

  it('leaves comments alone that carry the tag but are not the bot\'s', async () => {
    const { data: forged } = await alice.rest.issues.createComment({ ...repo, issue_number: pr.number, body: `fake\n\n--- | ---\nlint | x\n\n${testReportTag}` });
    await reporter().report(job('unit', 'failure'));
    const reports = await botReports();
    expect(reports.map((c) => rowContexts(c.body))).toEqual([['unit']]);
    expect((await alice.rest.issues.getComment({ ...repo, comment_id: forged.id })).data.body).toContain('lint | x');
  });

  it('adds the report template for the repo, org or *, rendered over the job as Go renders it', async () => {
    const star = (await loadKubernetesConfig()).plank?.report_templates?.['*'] ?? '';
    config = prowConfig({ plank: { report_templates: { '*': star, 'acme/gadgets': 'not this repo' } } });
    await reporter().report(job('unit', 'failure'));
    const history =
      `[Full PR test history](https://prow.k8s.io/pr-history?org=acme&repo=widgets&pr=${pr.number}). ` +
      '[Your PR dashboard](https://prow.k8s.io/pr?query=is%3Apr%20state%3Aopen%20author%3Aalice). ' +
      'Please help us cut down on flakes by [linking to](https://git.k8s.io/community/contributors/devel/sig-testing/flaky-tests.md#filing-issues-for-flaky-tests) ' +
      'an [open issue](https://github.com/acme/widgets/issues?q=is:issue+is:open) when you hit one in your PR.';
    expect((await botReports())[0]?.body).toContain(`\n\n${history}\n\n<details>`);

    config = prowConfig({ plank: { report_templates: { '*': star, acme: 'Job {{.Spec.Job}} of {{.Spec.Refs.Org}} failed.' } } });
    await reporter().report(job('e2e', 'failure'));
    expect((await botReports())[0]?.body).toContain('\n\nJob e2e of acme failed.\n\n<details>');
  });

  it('still reports the failure when the template does not render, and names the template in an error log', async () => {
    config = prowConfig({ plank: { report_template: 'PR {{(index .Spec.Refs.Pulls 3).Number}}' } });
    await reporter().report(job('unit', 'failure'));
    expect((await botReports()).map((c) => rowContexts(c.body))).toEqual([['unit']]);
    const logged = logs.lines.find((l) => l.msg?.startsWith('report template left out'));
    expect([logged?.level, logged?.where]).toEqual([50, 'plank.report_template']);
  });

  it('in summary_comment_repos, waits for every job on the PR and then says all tests passed', async () => {
    const redis = uniqueRedis('crier-summary');
    const jobs = createRedisJobStore(redis);
    try {
      config = prowConfig({ github_reporter: { summary_comment_repos: ['acme/widgets'] } });
      const r = reporter({ jobs });
      const unit = await jobs.create(job('unit', 'success'));
      const e2e = await jobs.create(job('e2e', 'pending'));
      await r.report(unit);
      expect(await botReports()).toEqual([]);
      const done = await jobs.update(e2e.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'success', completionTime: new Date().toISOString() } }));
      if (done === undefined) throw new Error('e2e job vanished');
      await r.report(done);
      const reports = await botReports();
      expect(reports.map((c) => c.body.split('\n')[0])).toEqual(['@alice: all tests **passed!**']);
    } finally {
      await jobs.close();
      await dropPrefix(redis);
    }
  });
});
