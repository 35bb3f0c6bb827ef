import { shouldRunOnBranch, type Presubmit } from '../../lib/config/index.ts';
import { testAllRe, type ChangedFiles } from '../../lib/jobs/index.ts';
import { filterPresubmits, testAllFilter } from './presubmit-filter.ts';
import { retestWithTargetRe, testHelpRe, testWithAnyTargetRe, testWithoutTargetRe } from './trigger-commands.ts';

/** Why a comment gets the list of jobs instead of jobs, Prow's notes (pjutil/help.go). */
export const helpNotes = {
  testWithoutTarget: 'The `/test` command needs one or more targets.\n',
  retestWithTarget: 'The `/retest` command does not accept any targets.\n',
  targetNotFound: 'The specified target(s) for `/test` were not found.\n',
  noTestAllJobs: 'No jobs can be run with `/test all`.\n',
} as const;

/**
 * Whether a comment that selected `selected` jobs is answered with the job list, and the note that goes first
 * (Prow's ShouldRespondWithHelp): `/test ?` always, a bare `/test`, `/retest <anything>`, and a `/test` that
 * selected nothing.
 */
export function helpNote(body: string, selected: number): string | undefined {
  if (testHelpRe.test(body)) return '';
  if (testWithoutTargetRe.test(body)) return helpNotes.testWithoutTarget;
  if (retestWithTargetRe.test(body)) return helpNotes.retestWithTarget;
  if (selected === 0 && testAllRe.test(body)) return helpNotes.noTestAllJobs;
  if (selected === 0 && testWithAnyTargetRe.test(body)) return helpNotes.targetNotFound;
  return undefined;
}

/** The jobs a PR to `baseRef` can run, as the help lists them (Prow's AvailablePresubmits). */
export interface AvailablePresubmits {
  /** Names of the jobs `/test all` would run on this change. */
  testAll: string[];
  /** Rerun commands of the required jobs and of the optional ones that can run on the branch. */
  required: string[];
  optional: string[];
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** What the job list shows for a PR to `baseRef` with these changes. */
export async function availablePresubmits(jobs: readonly Presubmit[], baseRef: string, changes: ChangedFiles): Promise<AvailablePresubmits> {
  const onBranch = jobs.filter((j) => shouldRunOnBranch(j, baseRef));
  return {
    testAll: sorted((await filterPresubmits(testAllFilter, jobs, baseRef, changes)).map((j) => j.name)),
    required: sorted(onBranch.filter((j) => !j.optional).map((j) => j.rerun_command)),
    optional: sorted(onBranch.filter((j) => j.optional).map((j) => j.rerun_command)),
  };
}

const bullets = (items: readonly string[]): string => items.map((i) => `\n* \`${i}\``).join('');

/** Prow's help text (HelpMessage): the note, the commands for required and optional jobs, and what `/test all` runs. */
export function helpMessage(fullName: string, baseRef: string, note: string, available: AvailablePresubmits): string {
  const { testAll, required, optional } = available;
  if (testAll.length + required.length + optional.length === 0) return `No presubmit jobs available for ${fullName}@${baseRef}`;
  let text = note;
  if (required.length > 0) text += `The following commands are available to trigger required jobs:${bullets(required)}\n\n`;
  if (optional.length > 0) text += `The following commands are available to trigger optional jobs:${bullets(optional)}\n\n`;
  if (testAll.length > 0 && testAll.length === required.length + optional.length) text += 'Use `/test all` to run all jobs.\n';
  else if (testAll.length > 0) text += `Use \`/test all\` to run the following jobs that were automatically triggered:${bullets(testAll)}\n\n`;
  return text;
}

/** True for a reply of the bot's that was the job list, which a later successful `/test` or `/retest` removes. */
export function isHelpReply(body: string): boolean {
  return body.includes('The following commands are available to trigger') || body.includes('No presubmit jobs available for') || Object.values(helpNotes).some((n) => body.includes(n));
}
