import type { PluginContextBase } from '../plugin.ts';
import { addIssueLabel, issueLabelNames, removeIssueLabel } from '../shared/issue-label-edits.ts';
import { generatedFileFilter } from './generated-file-filter.ts';
import { sizeLabel, sizeLabelPrefix, sizeThresholds } from './size-label.ts';

/** The pull request fields the size depends on. */
export interface SizedPull {
  number: number;
  base: { sha: string };
}

/** Lines added plus deleted over the PR's files (all pages), leaving out those `isGenerated` picks. */
export async function changedLines(ctx: PluginContextBase, number: number, isGenerated: (path: string) => boolean): Promise<number> {
  const files = await ctx.github.paginate(ctx.github.rest.pulls.listFiles, { owner: ctx.org, repo: ctx.repo, pull_number: number, per_page: 100 });
  return files.filter((f) => !isGenerated(f.filename)).reduce((sum, f) => sum + f.additions + f.deletions, 0);
}

/**
 * Gives the PR exactly one size label, the one its change calls for: any other `size/*` label goes, the right
 * one is added when missing. Generated files are read at the PR's base, so a PR cannot shrink itself by
 * editing `.gitattributes`.
 */
export async function syncSizeLabel(ctx: PluginContextBase, pull: SizedPull): Promise<void> {
  const isGenerated = await generatedFileFilter(ctx, pull.base.sha);
  const lines = await changedLines(ctx, pull.number, isGenerated);
  const wanted = sizeLabel(lines, sizeThresholds(ctx.config.plugins.size));
  const current = await issueLabelNames(ctx, pull.number);
  for (const label of current) {
    if (label !== wanted && label.startsWith(sizeLabelPrefix)) await removeIssueLabel(ctx, pull.number, label);
  }
  if (!current.includes(wanted)) await addIssueLabel(ctx, pull.number, wanted);
  ctx.log.debug({ number: pull.number, lines, label: wanted }, 'size label in sync');
}
