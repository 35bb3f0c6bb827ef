import { prowLabels, type ProwJob } from '../../../lib/jobs/index.ts';

/** The HTML comment that marks the bot's test report comment on a PR, as Prow writes it. */
export const testReportTag = '<!-- test report -->';

/** The links in the bot's footer; Prow's own by default. */
export interface BotFooterLinks {
  /** Where the PR-comment commands are explained. */
  pullRequestGuide: string;
  /** Repository (`owner/name`) and URL to file an issue about the bot in. */
  issueRepo: string;
  newIssueUrl: string;
  /** The list of commands the bot understands. */
  commands: string;
}

/** Prow's footer links (pkg/plugins/respond.go). */
export const prowFooterLinks: BotFooterLinks = {
  pullRequestGuide: 'https://git.k8s.io/community/contributors/guide/pull-requests.md',
  issueRepo: 'kubernetes-sigs/prow',
  newIssueUrl: 'https://github.com/kubernetes-sigs/prow/issues/new?title=Prow%20issue:',
  commands: 'https://go.k8s.io/bot-commands',
};

/** Prow's AboutThisBot text with `links` in it (the two spaces after the first sentence are Prow's). */
export function aboutThisBot(links: BotFooterLinks = prowFooterLinks): string {
  return (
    `Instructions for interacting with me using PR comments are available [here](${links.pullRequestGuide}).  ` +
    `If you have questions or suggestions related to my behavior, please file an issue against the [${links.issueRepo}](${links.newIssueUrl}) repository. ` +
    `I understand the commands that are listed [here](${links.commands}).`
  );
}

/** A job's Required column: from its `prow.k8s.io/is-optional` label, `unknown` when it has none. */
export type RequiredMark = 'true' | 'false' | 'unknown';

/** One row of the failure table. */
export interface FailureRow {
  context: string;
  sha: string;
  url: string;
  required: RequiredMark;
  rerunCommand: string;
}

const columnSeparator = ' | ';
const tableHeader = 'Test name | Commit | Details | Required | Rerun command';
const tableRule = '--- | --- | --- | --- | ---';

/** A row as Prow writes it: `context | sha | [link](url) | required | \`rerun_command\``. */
export function formatFailureRow(row: FailureRow): string {
  return [row.context, row.sha, `[link](${row.url})`, row.required, `\`${row.rerunCommand}\``].join(columnSeparator);
}

/** A table line read back into its fields; undefined when it is not a row of Prow's five columns. */
export function parseFailureRow(line: string): FailureRow | undefined {
  const fields = line.trim().split(columnSeparator);
  if (fields.length !== 5) return undefined;
  const [context = '', sha = '', details = '', required = '', rerun = ''] = fields;
  const link = /^\[link\]\((.*)\)$/.exec(details);
  const command = /^`(.*)`$/.exec(rerun);
  if (link === null || command === null || (required !== 'true' && required !== 'false' && required !== 'unknown')) return undefined;
  return { context, sha, url: link[1] ?? '', required, rerunCommand: command[1] ?? '' };
}

/** The context a table line is for: its first column. Prow keys rows by it, whatever the line's shape. */
export function rowContext(line: string): string {
  return line.split(columnSeparator)[0] ?? '';
}

/** The failure row for a finished presubmit, from its spec, first pull and URL. */
export function failureRowFor(job: ProwJob): FailureRow {
  let required: RequiredMark = 'unknown';
  if (job.spec.type === 'presubmit') {
    const optional = job.metadata.labels[prowLabels.isOptional];
    if (optional === 'true') required = 'false';
    else if (optional === 'false') required = 'true';
  }
  return {
    context: job.spec.context ?? '',
    sha: job.spec.refs?.pulls?.[0]?.sha ?? '',
    url: job.status.url ?? '',
    required,
    rerunCommand: job.spec.rerun_command ?? '',
  };
}

/**
 * The table lines of a report comment: the non-blank lines after a line starting with `---`, up to the next
 * blank line, trimmed and kept as written (rows from older Prow versions survive unchanged).
 */
export function tableLines(body: string): string[] {
  const lines: string[] = [];
  let inTable = false;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('---')) inTable = true;
    else if (line === '') inTable = false;
    else if (inTable) lines.push(line);
  }
  return lines;
}

/** What the comment should say: the PR author, the table lines, and the rendered `plank.report_templates` text. */
export interface FailureCommentContent {
  author: string;
  rows: readonly string[];
  /** The report template already rendered for this PR; undefined when none is configured. */
  reportText?: string | undefined;
  footerLinks?: BotFooterLinks | undefined;
}

/**
 * Prow's report comment: "@author: The following test(s) **failed** ..." and the table, or "all tests
 * **passed!**" when there are no rows (summary mode); then the report template text, the bot footer in a
 * <details> block, and the tag that finds the comment again.
 */
export function buildFailureComment(content: FailureCommentContent): string {
  const { author, rows } = content;
  const lines =
    rows.length === 0
      ? [`@${author}: all tests **passed!**`, '']
      : [
          `@${author}: The following test${rows.length > 1 ? 's' : ''} **failed**, say \`/retest\` to rerun all failed tests or \`/retest-required\` to rerun all mandatory failed tests:`,
          '',
          tableHeader,
          tableRule,
        ];
  lines.push(...rows);
  if (content.reportText !== undefined) lines.push('', content.reportText);
  lines.push('', '<details>', '', aboutThisBot(content.footerLinks), '</details>', testReportTag);
  return lines.join('\n');
}

/** One PR comment, as far as planning the report needs it. */
export interface ExistingComment {
  id: number;
  login: string;
  body: string;
}

/** What to do on the PR: comments to delete, the rows of the comment to write, and the comment to edit (if any). */
export interface ReportCommentPlan {
  deleteIds: number[];
  rows: string[];
  /** Edit this comment in place; undefined means create a new one (when there are rows). */
  editId: number | undefined;
}

/**
 * Prow's merge of finished jobs into the PR's report comment. Rows are gathered from every bot comment with
 * the tag, oldest first; for a context listed twice the later row wins; rows of the `jobs`' contexts are
 * dropped and a row is added for each failed job. All but the newest report comment are deleted; the newest
 * is edited in place unless a failure was added (delete and post anew, so the author is notified) or no rows
 * remain (delete).
 */
export function planReportComment(jobs: readonly ProwJob[], comments: readonly ExistingComment[], isBot: (login: string) => boolean): ReportCommentPlan {
  const older: number[] = [];
  let latest: number | undefined;
  const lines: string[] = [];
  for (const comment of comments) {
    if (!isBot(comment.login) || !comment.body.includes(testReportTag)) continue;
    if (latest !== undefined) older.push(latest);
    latest = comment.id;
    lines.push(...tableLines(comment.body));
  }
  const reported = new Set(jobs.map((j) => j.spec.context ?? ''));
  const rows = lines.filter((line, i) => {
    const context = rowContext(line);
    return !reported.has(context) && !lines.slice(i + 1).some((later) => rowContext(later) === context);
  });
  const failed = jobs.filter((j) => j.status.state === 'failure');
  rows.push(...failed.map((j) => formatFailureRow(failureRowFor(j))));
  const deleteIds = [...older];
  let editId = latest;
  if (latest !== undefined && (failed.length > 0 || rows.length === 0)) {
    deleteIds.push(latest);
    editId = undefined;
  }
  return { deleteIds, rows, editId };
}
