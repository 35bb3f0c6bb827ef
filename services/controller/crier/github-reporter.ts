import type { ProwConfig } from '../../../lib/config/index.ts';
import type { GitHubClient } from '../../../lib/github/github-client.ts';
import { finalStates, prowLabels, type JobStore, type ProwJob, type ProwJobType, type Refs } from '../../../lib/jobs/index.ts';
import type { Logger } from '../../../lib/log.ts';
import { renderGoTemplate } from '../../../lib/template/index.ts';
import { buildFailureComment, planReportComment, type BotFooterLinks } from './failure-comment.ts';
import { reportStatus } from './github-status.ts';
import { createKeyedLock } from './keyed-lock.ts';
import type { Reporter } from './reporter.ts';

/** Prow's reporter name, the key of `status.prev_report_states`. */
export const githubReporterName = 'github-reporter';

/** The job types reported when `github_reporter.job_types_to_report` is unset or empty, as in Prow. */
export const defaultJobTypesToReport: readonly ProwJobType[] = ['presubmit', 'postsubmit'];

export interface GitHubReporterOptions {
  github: Pick<GitHubClient, 'forRepo'>;
  /** The live configuration, read on every report so reloads apply. */
  config: () => ProwConfig;
  /** The bot's login (an App's `<slug>[bot]` too): only its comments are taken as earlier reports. */
  botLogin: string;
  log: Logger;
  footerLinks?: BotFooterLinks | undefined;
  /** Where the PR's other ProwJobs are read, for `github_reporter.summary_comment_repos`. */
  jobs?: Pick<JobStore, 'list'> | undefined;
}

/** True when `ident` (an org, or org/repo) names the repository of `refs`, as Prow matches repo lists. */
function listsRepo(idents: readonly string[] | undefined, refs: Refs): boolean {
  return (idents ?? []).some((ident) => ident === refs.org || ident === `${refs.org}/${refs.repo}`);
}

/**
 * The `plank.report_templates` text for a repository: by org/repo, then org, then `*`, as Prow picks it; the
 * deprecated `plank.report_template` stands for `*` when `report_templates` is not set. `where` names the
 * setting, for errors.
 */
export function reportTemplateFor(config: ProwConfig, refs: Refs): { where: string; text: string } | undefined {
  const plank = config.plank;
  const templates = plank?.report_templates;
  if (templates === undefined) return plank?.report_template === undefined ? undefined : { where: 'plank.report_template', text: plank.report_template };
  for (const key of [`${refs.org}/${refs.repo}`, refs.org, '*']) {
    const text = templates[key];
    if (text !== undefined) return { where: `plank.report_templates[${JSON.stringify(key)}]`, text };
  }
  return undefined;
}

/** True when `login` is the bot: the same login ignoring case, with or without an App's `[bot]` suffix. */
function isBotLogin(botLogin: string): (login: string) => boolean {
  const bare = (l: string): string => l.toLowerCase().replace(/\[bot\]$/, '');
  const bot = bare(botLogin);
  return (login) => bare(login) === bot;
}

const isComplete = (job: ProwJob): boolean => finalStates.has(job.status.state);

/**
 * Crier's GitHub reporter, as Prow's: a commit status for every state a reported job reaches, and for
 * presubmits the one failure table comment per PR, updated under a per-PR lock so jobs finishing together do
 * not post twice.
 */
export function createGitHubReporter(options: GitHubReporterOptions): Reporter {
  const { github, config, log } = options;
  const isBot = isBotLogin(options.botLogin);
  const prLocks = createKeyedLock();

  const reportable = (job: ProwJob): boolean => {
    const { type, refs } = job.spec;
    if (job.spec.report !== true || refs === undefined) return false;
    // Prow's reporter takes only presubmits and postsubmits, whatever the list says; batches have several pulls.
    if (type !== 'presubmit' && type !== 'postsubmit') return false;
    const configured = config().github_reporter?.job_types_to_report;
    const types = configured === undefined || configured.length === 0 ? defaultJobTypesToReport : configured;
    return types.includes(type) && (refs.pulls?.length ?? 0) <= 1;
  };

  const renderReportText = (job: ProwJob, refs: Refs): string | undefined => {
    const template = reportTemplateFor(config(), refs);
    if (template === undefined) return undefined;
    try {
      return renderGoTemplate(template.where, template.text, job);
    } catch (err) {
      // Prow fails the report here and retries it forever; a broken template is better named once and the
      // failures still reported.
      log.error({ err, where: template.where }, 'report template left out of the test report: it does not render');
      return undefined;
    }
  };

  /** The PR's latest job of each name when every job on the PR is complete; empty while any still runs. */
  const summaryJobs = async (job: ProwJob): Promise<ProwJob[]> => {
    if (options.jobs === undefined) {
      log.warn({ job: job.spec.job }, 'summary_comment_repos needs the job store; reporting this job alone');
      return [job];
    }
    const labels: Record<string, string> = {};
    for (const key of [prowLabels.org, prowLabels.repo, prowLabels.pull]) {
      const value = job.metadata.labels[key];
      if (value !== undefined) labels[key] = value;
    }
    const all = await options.jobs.list({ labels });
    if (all.some((j) => !isComplete(j))) return [];
    const latest = new Map<string, ProwJob>();
    // list() answers in creation order, so the last one seen of each name is its latest run.
    for (const j of all) if (j.spec.report === true) latest.set(j.spec.job, j);
    return [...latest.values()];
  };

  const reportComment = async (job: ProwJob, refs: Refs, pull: number): Promise<void> => {
    let toReport = [job];
    const mustCreate = listsRepo(config().github_reporter?.summary_comment_repos, refs);
    if (mustCreate) toReport = await summaryJobs(job);
    const finished = toReport.filter((j) => reportable(j) && isComplete(j));
    const first = finished[0];
    if (first === undefined) return;
    const gh = await github.forRepo(refs.org, refs.repo);
    const target = { owner: refs.org, repo: refs.repo };
    const comments = await gh.paginate(gh.rest.issues.listComments, { ...target, issue_number: pull, per_page: 100 });
    const plan = planReportComment(
      finished,
      comments.map((c) => ({ id: Number(c.id), login: c.user?.login ?? '', body: c.body ?? '' })),
      isBot,
    );
    for (const id of plan.deleteIds) await gh.rest.issues.deleteComment({ ...target, comment_id: id });
    // A push while jobs ran aborts them; "all tests passed" would then be untrue.
    const aborted = finished.some((j) => j.status.state === 'aborted');
    if (plan.rows.length === 0 && !(mustCreate && !aborted)) return;
    const body = buildFailureComment({
      author: first.spec.refs?.pulls?.[0]?.author ?? '',
      rows: plan.rows,
      reportText: renderReportText(first, refs),
      footerLinks: options.footerLinks,
    });
    if (plan.editId === undefined) await gh.rest.issues.createComment({ ...target, issue_number: pull, body });
    else await gh.rest.issues.updateComment({ ...target, comment_id: plan.editId, body });
  };

  return {
    name: githubReporterName,
    shouldReport: reportable,
    async report(job) {
      const refs = job.spec.refs;
      if (refs === undefined || !reportable(job)) return;
      const jobLog = log.child({ reporter: githubReporterName, job: job.spec.job, prowjob: job.metadata.name });
      if (!(await reportStatus(await github.forRepo(refs.org, refs.repo), job, jobLog))) return;
      const pull = refs.pulls?.[0];
      if (job.spec.type !== 'presubmit' || pull === undefined) return;
      // The status is always set; only the comment is opted out of.
      if (listsRepo(config().github_reporter?.no_comment_repos, refs)) return;
      await prLocks.run(`${refs.org}/${refs.repo}#${pull.number}`, () => reportComment(job, refs, pull.number));
    },
  };
}
