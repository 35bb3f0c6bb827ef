import type { PluginContextBase } from '../plugin.ts';
import { hasStatus } from './request-status.ts';

type LabelTarget = Pick<PluginContextBase, 'github' | 'org' | 'repo'>;

/** The names of the labels on issue or PR `number`, read fresh (the payload's may be stale by now). */
export async function issueLabelNames(ctx: LabelTarget, number: number): Promise<string[]> {
  const labels = await ctx.github.paginate(ctx.github.rest.issues.listLabelsOnIssue, { owner: ctx.org, repo: ctx.repo, issue_number: number, per_page: 100 });
  return labels.map((l) => l.name);
}

/** Adds one label to issue or PR `number`. */
export async function addIssueLabel(ctx: LabelTarget, number: number, label: string): Promise<void> {
  await ctx.github.rest.issues.addLabels({ owner: ctx.org, repo: ctx.repo, issue_number: number, labels: [label] });
}

/** Removes one label from issue or PR `number`; a label already gone (404) is what was wanted, so a retry is harmless. */
export async function removeIssueLabel(ctx: LabelTarget, number: number, label: string): Promise<void> {
  try {
    await ctx.github.rest.issues.removeLabel({ owner: ctx.org, repo: ctx.repo, issue_number: number, name: label });
  } catch (err) {
    if (!hasStatus(err, 404)) throw err;
  }
}
