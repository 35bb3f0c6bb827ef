import type { GenericComment } from '../generic-comment.ts';
import type { PluginContextBase } from '../plugin.ts';
import { addIssueLabel, issueLabelNames, removeIssueLabel } from '../shared/issue-label-edits.ts';
import { replyOnce } from '../shared/reply-once.ts';

/** Prow's lifecycle labels: at most one of them is on an item at a time. */
export const lifecycleLabel = {
  active: 'lifecycle/active',
  frozen: 'lifecycle/frozen',
  stale: 'lifecycle/stale',
  rotten: 'lifecycle/rotten',
} as const;

export const allLifecycleLabels: readonly string[] = Object.values(lifecycleLabel);

const lifecycleRe = /^\/(remove-)?lifecycle (active|frozen|stale|rotten)\s*$/gim;

/** Sets `label` and removes the other lifecycle labels, given the labels the item has now. */
export async function setLifecycleLabel(ctx: Pick<PluginContextBase, 'github' | 'org' | 'repo'>, number: number, label: string, current: readonly string[]): Promise<void> {
  for (const other of allLifecycleLabels) {
    if (other !== label && current.includes(other)) await removeIssueLabel(ctx, number, other);
  }
  if (!current.includes(label)) await addIssueLabel(ctx, number, label);
}

/**
 * `/lifecycle <state>` and `/remove-lifecycle <state>`, each line on its own, as Prow's lifecycle.go: anyone
 * may use them, adding one removes the others, and frozen is refused on pull requests with one reply.
 */
export async function handleLifecycleCommands(ctx: PluginContextBase, comment: GenericComment): Promise<void> {
  if (comment.action !== 'created') return;
  for (const [, remove, state] of comment.body.matchAll(lifecycleRe)) {
    const label = `lifecycle/${state ?? ''}`;
    if (comment.isPR && label === lifecycleLabel.frozen && remove === undefined) {
      await replyOnce(ctx, comment, `The \`${lifecycleLabel.frozen}\` label cannot be applied to Pull Requests.`);
      return;
    }
    // Read per command: an earlier line of the same comment may have changed them.
    const current = await issueLabelNames(ctx, comment.number);
    if (remove !== undefined) {
      if (current.includes(label)) await removeIssueLabel(ctx, comment.number, label);
    } else {
      await setLifecycleLabel(ctx, comment.number, label, current);
    }
  }
}
