import type { PluginContextBase } from '../plugin.ts';
import { addIssueLabel, issueLabelNames, removeIssueLabel } from '../shared/issue-label-edits.ts';

/** The label Tide treats as "still being worked on". */
export const wipLabel = 'do-not-merge/work-in-progress';

// Prow's title regex: "WIP: x", "[WIP] x", "wip - x"; a bare "WIP" or "WIPE" is not a prefix.
const wipTitleRe = /^\W?WIP\W/i;

/** Whether a PR is a work in progress: a draft, or a title starting with WIP. */
export function isWorkInProgress(pull: { title: string; draft?: boolean | undefined }): boolean {
  return pull.draft === true || wipTitleRe.test(pull.title);
}

/** Brings the WIP label in line with the PR: present exactly while it is a draft or its title says WIP. */
export async function syncWipLabel(ctx: PluginContextBase, pull: { number: number; title: string; draft?: boolean | undefined }): Promise<void> {
  const needs = isWorkInProgress(pull);
  const has = (await issueLabelNames(ctx, pull.number)).includes(wipLabel);
  if (needs && !has) await addIssueLabel(ctx, pull.number, wipLabel);
  if (!needs && has) await removeIssueLabel(ctx, pull.number, wipLabel);
}
