import { branchFiltersIntersect } from './brancher.ts';
import type { ConfigIssue } from './config-issue.ts';
import { cronError } from './go/cron-check.ts';
import { compileGoRegexp } from './go/go-regexp.ts';
import type { Periodic, Postsubmit, Presubmit } from './prow-config.ts';
import { issueAt, type YamlFile } from './yaml-file.ts';

/** A job together with where it was written, so every finding can name its file, line and column. */
export interface Located<J> {
  job: J;
  yaml: YamlFile;
  path: PropertyKey[];
}

function at(entry: Located<unknown>, field: string | undefined, message: string): ConfigIssue {
  return issueAt(entry.yaml, field === undefined ? entry.path : [...entry.path, field], message);
}

function changeFilterIssues(entry: Located<Presubmit | Postsubmit>): ConfigIssue[] {
  const { job } = entry;
  const issues: ConfigIssue[] = [];
  if (job.run_if_changed !== undefined && job.skip_if_only_changed !== undefined) {
    issues.push(at(entry, 'skip_if_only_changed', `job ${job.name} sets both run_if_changed and skip_if_only_changed; keep one`));
  }
  if (job.always_run === true && (job.run_if_changed !== undefined || job.skip_if_only_changed !== undefined)) {
    const other = job.run_if_changed !== undefined ? 'run_if_changed' : 'skip_if_only_changed';
    issues.push(at(entry, 'always_run', `job ${job.name} sets always_run and ${other}; they are mutually exclusive`));
  }
  return issues;
}

/** Prow's checks of one presubmit that the schema cannot express. */
export function presubmitIssues(entry: Located<Presubmit>): ConfigIssue[] {
  const { job } = entry;
  const issues = changeFilterIssues(entry);
  if ((job.trigger === '') !== (job.rerun_command === '')) {
    issues.push(at(entry, undefined, `job ${job.name} sets only one of trigger and rerun_command; set both or neither`));
  } else {
    try {
      if (!compileGoRegexp(job.trigger).test(job.rerun_command)) {
        issues.push(at(entry, 'rerun_command', `rerun_command "${job.rerun_command}" of job ${job.name} does not match its trigger`));
      }
    } catch {
      // An uncompilable trigger is already reported where the schema checks it.
    }
  }
  return issues;
}

/** Prow's checks of one postsubmit that the schema cannot express. */
export function postsubmitIssues(entry: Located<Postsubmit>): ConfigIssue[] {
  return changeFilterIssues(entry);
}

/** Prow's checks of one periodic: exactly one schedule, and a cron that parses. */
export function periodicIssues(entry: Located<Periodic>): ConfigIssue[] {
  const { job } = entry;
  const set = (['cron', 'interval', 'minimum_interval'] as const).filter((k) => job[k] !== undefined);
  if (set.length !== 1) {
    const message =
      set.length === 0
        ? `periodic ${job.name} needs one of cron, interval or minimum_interval`
        : `periodic ${job.name} sets ${set.join(' and ')}; they are mutually exclusive`;
    return [at(entry, set[1], message)];
  }
  const problem = job.cron === undefined ? undefined : cronError(job.cron);
  return problem === undefined ? [] : [at(entry, 'cron', problem)];
}

const where = (e: Located<unknown>): string => {
  const i = issueAt(e.yaml, e.path, '');
  return `${i.file}:${i.line}:${i.col}`;
};

/**
 * Jobs Prow would refuse as duplicates: same name in one repo on intersecting branches (presubmits,
 * postsubmits), or the same name anywhere (periodics). Each finding names both places.
 */
export function duplicateIssues<J extends { name: string; branches?: string[] | undefined; skip_branches?: string[] | undefined }>(
  kind: string,
  entries: readonly Located<J>[],
  byBranch: boolean,
): ConfigIssue[] {
  const seen = new Map<string, Located<J>[]>();
  const issues: ConfigIssue[] = [];
  for (const entry of entries) {
    const earlier = seen.get(entry.job.name) ?? [];
    const clash = earlier.find((e) => !byBranch || branchFiltersIntersect(e.job, entry.job));
    if (clash) issues.push(at(entry, 'name', `duplicated ${kind} job ${entry.job.name}; also defined at ${where(clash)}`));
    seen.set(entry.job.name, [...earlier, entry]);
  }
  return issues;
}
