import { describe, expect, it } from 'vitest';
import { newProwJob, prowLabels, type ProwJob, type ProwJobState } from '../../../lib/jobs/index.ts';
import {
  aboutThisBot,
  buildFailureComment,
  failureRowFor,
  formatFailureRow,
  parseFailureRow,
  planReportComment,
  rowContext,
  tableLines,
  testReportTag,
} from './failure-comment.ts';

const sha = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';

// A failure comment as Prow posts it on a kubernetes/kubernetes PR, with prow.k8s.io's report template
// rendered into it (test/fixtures/prow-config/config.yaml) and Prow's AboutThisBot footer.
const history =
  '[Full PR test history](https://prow.k8s.io/pr-history?org=kubernetes&repo=kubernetes&pr=123456). ' +
  '[Your PR dashboard](https://prow.k8s.io/pr?query=is%3Apr%20state%3Aopen%20author%3Aalice). ' +
  'Please help us cut down on flakes by [linking to](https://git.k8s.io/community/contributors/devel/sig-testing/flaky-tests.md#filing-issues-for-flaky-tests) ' +
  'an [open issue](https://github.com/kubernetes/kubernetes/issues?q=is:issue+is:open) when you hit one in your PR.';
const e2eRow =
  `pull-kubernetes-e2e-gce | ${sha} | [link](https://prow.k8s.io/view/gs/kubernetes-ci-logs/pr-logs/pull/123456/pull-kubernetes-e2e-gce/1790000000000000001) | true | \`/test pull-kubernetes-e2e-gce\``;
const verifyRow =
  `pull-kubernetes-verify-lint | ${sha} | [link](https://prow.k8s.io/view/gs/kubernetes-ci-logs/pr-logs/pull/123456/pull-kubernetes-verify-lint/1790000000000000002) | false | \`/test pull-kubernetes-verify-lint\``;
const prowComment = `@alice: The following tests **failed**, say \`/retest\` to rerun all failed tests or \`/retest-required\` to rerun all mandatory failed tests:

Test name | Commit | Details | Required | Rerun command
--- | --- | --- | --- | ---
${e2eRow}
${verifyRow}

${history}

<details>

Instructions for interacting with me using PR comments are available [here](https://git.k8s.io/community/contributors/guide/pull-requests.md).  If you have questions or suggestions related to my behavior, please file an issue against the [kubernetes-sigs/prow](https://github.com/kubernetes-sigs/prow/issues/new?title=Prow%20issue:) repository. I understand the commands that are listed [here](https://go.k8s.io/bot-commands).
</details>
<!-- test report -->`;

function job(context: string, state: ProwJobState, optional?: boolean): ProwJob {
  const refs = { org: 'kubernetes', repo: 'kubernetes', base_sha: 'b'.repeat(40), pulls: [{ number: 123456, author: 'alice', sha }] };
  const spec = { type: 'presubmit' as const, agent: 'kubernetes' as const, job: context, refs, report: true, context, rerun_command: `/test ${context}` };
  const labels = optional === undefined ? {} : { [prowLabels.isOptional]: String(optional) };
  const made = newProwJob(spec, labels);
  return { ...made, status: { ...made.status, state, url: `https://prow.example/view/${context}` } };
}

describe('the failure comment', () => {
  it('is built exactly as Prow posts it, and its rows read back as written', () => {
    const built = buildFailureComment({ author: 'alice', rows: [e2eRow, verifyRow], reportText: history });
    expect(built).toBe(prowComment);
    expect(tableLines(prowComment)).toEqual([e2eRow, verifyRow]);
    expect(parseFailureRow(e2eRow)).toEqual({
      context: 'pull-kubernetes-e2e-gce',
      sha,
      url: 'https://prow.k8s.io/view/gs/kubernetes-ci-logs/pr-logs/pull/123456/pull-kubernetes-e2e-gce/1790000000000000001',
      required: 'true',
      rerunCommand: '/test pull-kubernetes-e2e-gce',
    });
    const parsed = parseFailureRow(verifyRow);
    expect(parsed && formatFailureRow(parsed)).toBe(verifyRow);
  });

  it('says "test" for one failure and "tests" for several, and leaves out the template section when none is configured', () => {
    const one = buildFailureComment({ author: 'bob', rows: [e2eRow] });
    expect(one.split('\n')[0]).toBe(
      '@bob: The following test **failed**, say `/retest` to rerun all failed tests or `/retest-required` to rerun all mandatory failed tests:',
    );
    expect(one).not.toContain('Full PR test history');
    expect(one.split('\n').slice(-6)).toEqual(['', '<details>', '', aboutThisBot(), '</details>', testReportTag]);
    expect(buildFailureComment({ author: 'bob', rows: [e2eRow, verifyRow] }).split('\n')[0]).toContain('The following tests **failed**');
  });

  it('says all tests passed when there are no rows (summary mode)', () => {
    expect(buildFailureComment({ author: 'bob', rows: [] }).split('\n').slice(0, 2)).toEqual(['@bob: all tests **passed!**', '']);
  });

  it('puts configured links in the footer', () => {
    const links = { pullRequestGuide: 'https://ci.example/guide', issueRepo: 'acme/ci', newIssueUrl: 'https://ci.example/issues', commands: 'https://ci.example/commands' };
    const footer = aboutThisBot(links);
    expect(footer).toBe(
      'Instructions for interacting with me using PR comments are available [here](https://ci.example/guide).  If you have questions or suggestions related to my behavior, please file an issue against the [acme/ci](https://ci.example/issues) repository. I understand the commands that are listed [here](https://ci.example/commands).',
    );
    expect(buildFailureComment({ author: 'bob', rows: [e2eRow], footerLinks: links })).toContain(footer);
  });

  it('marks Required from the is-optional label, unknown without it', () => {
    expect(failureRowFor(job('a', 'failure', false)).required).toBe('true');
    expect(failureRowFor(job('a', 'failure', true)).required).toBe('false');
    expect(formatFailureRow(failureRowFor(job('unit', 'failure')))).toBe(`unit | ${sha} | [link](https://prow.example/view/unit) | unknown | \`/test unit\``);
  });

  it('refuses lines that are not five columns of Prow rows', () => {
    expect(parseFailureRow('a | b | c | d')).toBeUndefined();
    expect(parseFailureRow(`x | ${sha} | https://no-link | true | \`/test x\``)).toBeUndefined();
    expect(rowContext('old-job | abc | [link](u) | `/test old-job`')).toBe('old-job');
  });
});

describe('planning the report comment', () => {
  const bot = (login: string): boolean => login === 'prow-bot';
  const report = (id: number, rows: string[], login = 'prow-bot'): { id: number; login: string; body: string } => ({
    id,
    login,
    body: buildFailureComment({ author: 'alice', rows }),
  });
  const row = (context: string): string => formatFailureRow(failureRowFor(job(context, 'failure')));

  it('creates a comment for a first failure', () => {
    expect(planReportComment([job('unit', 'failure')], [], bot)).toEqual({ deleteIds: [], rows: [row('unit')], editId: undefined });
  });

  it('recreates the comment when a failure is added, keeping rows of other contexts', () => {
    const plan = planReportComment([job('e2e', 'failure')], [report(7, [row('unit')])], bot);
    expect(plan).toEqual({ deleteIds: [7], rows: [row('unit'), row('e2e')], editId: undefined });
  });

  it('edits in place when a rerun passes and other failures remain, and deletes once none remain', () => {
    expect(planReportComment([job('unit', 'success')], [report(7, [row('unit'), row('e2e')])], bot)).toEqual({ deleteIds: [], rows: [row('e2e')], editId: 7 });
    expect(planReportComment([job('e2e', 'success')], [report(7, [row('e2e')])], bot)).toEqual({ deleteIds: [7], rows: [], editId: undefined });
  });

  it('deletes older report comments, lets a later row of a context win, and ignores comments that are not the bot\'s', () => {
    const staleUnit = row('unit').replace('[link](https://prow.example/view/unit)', '[link](https://prow.example/old)');
    const comments = [report(1, [staleUnit]), report(2, ['lint | x | [link](l) | true | `/test lint`'], 'mallory'), report(3, [row('unit'), row('e2e')])];
    expect(planReportComment([job('e2e', 'success')], comments, bot)).toEqual({ deleteIds: [1], rows: [row('unit')], editId: 3 });
  });
});
