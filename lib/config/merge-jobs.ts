import type { ConfigIssue } from './config-issue.ts';
import { duplicateIssues, periodicIssues, postsubmitIssues, presubmitIssues, type Located } from './job-checks.ts';
import { defaultPeriodic, defaultPostsubmit, defaultPresubmit, type DefaultingContext } from './job-defaults.ts';
import type { ProwConfig } from './prow-config.ts';
import type { ProwConfigFile } from './schema/prow.ts';
import { issueAt, type YamlFile } from './yaml-file.ts';

/** The jobs one file holds, with the file they came from. */
export interface JobSource {
  yaml: YamlFile;
  jobs: Pick<ProwConfigFile, 'presubmits' | 'postsubmits' | 'periodics'>;
}

type MergedJobs = Pick<ProwConfig, 'presubmits' | 'postsubmits' | 'periodics'>;

function locate<R, J>(yaml: YamlFile, at: PropertyKey[], raw: R, make: (raw: R, problems: string[]) => J, issues: ConfigIssue[]): Located<J> {
  const problems: string[] = [];
  const job = make(raw, problems);
  for (const problem of problems) issues.push(issueAt(yaml, [...at, 'spec'], problem));
  return { job, yaml, path: at };
}

function byRepo<R, J extends { name: string }>(
  sources: readonly JobSource[],
  kind: 'presubmits' | 'postsubmits',
  pick: (jobs: JobSource['jobs']) => Record<string, R[]> | undefined,
  make: (raw: R, repo: string, problems: string[]) => J,
  issues: ConfigIssue[],
): Map<string, Located<J>[]> {
  const out = new Map<string, Located<J>[]>();
  for (const { yaml, jobs } of sources) {
    for (const [repo, list] of Object.entries(pick(jobs) ?? {})) {
      const into = out.get(repo) ?? [];
      list.forEach((raw, i) => into.push(locate(yaml, [kind, repo, i], raw, (r, p) => make(r, repo, p), issues)));
      out.set(repo, into);
    }
  }
  return out;
}

/**
 * Merges the jobs of config.yaml and every job-config file as Prow does (per-repo lists and periodics
 * concatenate, in file order), applies Prow's defaults and presets, and checks what Prow checks across jobs.
 */
export function mergeJobs(sources: readonly JobSource[], ctx: DefaultingContext): { jobs: MergedJobs; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const jobs: MergedJobs = { presubmits: {}, postsubmits: {}, periodics: [] };
  const pre = byRepo(sources, 'presubmits', (j) => j.presubmits, (raw, repo, p) => defaultPresubmit(raw, repo, ctx, p), issues);
  for (const [repo, entries] of pre) {
    jobs.presubmits[repo] = entries.map((e) => e.job);
    issues.push(...entries.flatMap(presubmitIssues), ...duplicateIssues('presubmit', entries, true));
  }
  const post = byRepo(sources, 'postsubmits', (j) => j.postsubmits, (raw, repo, p) => defaultPostsubmit(raw, repo, ctx, p), issues);
  for (const [repo, entries] of post) {
    jobs.postsubmits[repo] = entries.map((e) => e.job);
    issues.push(...entries.flatMap(postsubmitIssues), ...duplicateIssues('postsubmit', entries, true));
  }
  const periodics = sources.flatMap(({ yaml, jobs: file }) =>
    (file.periodics ?? []).map((raw, i) => locate(yaml, ['periodics', i], raw, (r, p) => defaultPeriodic(r, ctx, p), issues)),
  );
  jobs.periodics = periodics.map((e) => e.job);
  issues.push(...periodics.flatMap(periodicIssues), ...duplicateIssues('periodic', periodics, false));
  return { jobs, issues };
}
