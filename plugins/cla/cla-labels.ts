import type { PluginContextBase } from '../plugin.ts';
import { addIssueLabel, issueLabelNames, removeIssueLabel } from '../shared/issue-label-edits.ts';

/** The label of a PR whose author signed the CLA. */
export const claYes = 'cncf-cla: yes';
/** The label of a PR whose author has not signed the CLA. */
export const claNo = 'cncf-cla: no';

/** A commit status state, as GitHub reports it. */
export type StatusState = 'success' | 'failure' | 'error' | 'pending';

/** The label a CLA status calls for: yes on success, no on failure or error, none while pending. */
export function claLabelFor(state: StatusState): string | undefined {
  if (state === 'success') return claYes;
  if (state === 'failure' || state === 'error') return claNo;
  return undefined;
}

/**
 * Makes PR `number` carry the label `state` calls for and not the other one; a pending status leaves the
 * labels as they are, as Prow waits for the check to finish.
 */
export async function mirrorClaState(ctx: PluginContextBase, number: number, state: StatusState): Promise<void> {
  const wanted = claLabelFor(state);
  if (wanted === undefined) return;
  const other = wanted === claYes ? claNo : claYes;
  const current = await issueLabelNames(ctx, number);
  if (current.includes(other)) await removeIssueLabel(ctx, number, other);
  if (!current.includes(wanted)) await addIssueLabel(ctx, number, wanted);
  ctx.log.info({ number, state, label: wanted }, 'CLA label mirrored');
}
