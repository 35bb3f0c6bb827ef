import { compileGoRegexp } from '../../lib/config/index.ts';
import { loadRepoOwners } from '../owners/load-repo-owners.ts';
import { pullRequestFiles } from '../owners/pull-request-files.ts';
import { definePlugin, type PluginContextBase } from '../plugin.ts';
import { addIssueLabel, issueLabelNames } from '../shared/issue-label-edits.ts';

/**
 * Adds the labels the OWNERS files of the changed files list (`labels:`), as Prow's owners-label: only labels
 * that exist in the repo (others are logged, never created) and none matching `owners.labels_denylist`.
 * Labels are only added, never removed. Returns the labels added.
 */
export async function applyOwnersLabels(ctx: PluginContextBase, pr: { number: number; baseRef: string }): Promise<string[]> {
  const files = (await pullRequestFiles(ctx, pr.number)).map((f) => f.filename);
  const owners = await loadRepoOwners(ctx, pr.baseRef, files);
  const denylist = (ctx.config.plugins.owners?.labels_denylist ?? []).map((p) => compileGoRegexp(p));
  const wanted = new Set(files.flatMap((f) => [...owners.labels(f)]).filter((l) => !denylist.some((re) => re.test(l))));
  if (wanted.size === 0) return [];
  const current = new Set((await issueLabelNames(ctx, pr.number)).map((l) => l.toLowerCase()));
  const existing = await ctx.github.paginate(ctx.github.rest.issues.listLabelsForRepo, { owner: ctx.org, repo: ctx.repo, per_page: 100 });
  const byLower = new Map(existing.map((l) => [l.name.toLowerCase(), l.name]));
  const added: string[] = [];
  const missing: string[] = [];
  for (const label of [...wanted].sort()) {
    if (current.has(label.toLowerCase())) continue;
    const name = byLower.get(label.toLowerCase());
    if (name === undefined) {
      missing.push(label);
      continue;
    }
    await addIssueLabel(ctx, pr.number, name);
    added.push(name);
  }
  if (missing.length > 0) ctx.log.warn({ number: pr.number, labels: missing }, 'OWNERS files name labels the repository does not have; create them to have them applied');
  return added;
}

async function onPullRequest(ctx: PluginContextBase, pr: { number: number; base: { ref: string } }): Promise<void> {
  await applyOwnersLabels(ctx, { number: pr.number, baseRef: pr.base.ref });
}

/** Prow's owners-label plugin. */
export const ownersLabelPlugin = definePlugin({
  name: 'owners-label',
  help: {
    description:
      'The owners-label plugin automatically adds labels to PRs based on the files they touch. Specifically, the \'labels\' sections of OWNERS files are used to determine which labels apply to the changes.',
    commands: [],
  },
  handlers: {
    'pull_request.opened': (ctx) => onPullRequest(ctx, ctx.payload.pull_request),
    'pull_request.reopened': (ctx) => onPullRequest(ctx, ctx.payload.pull_request),
    'pull_request.synchronize': (ctx) => onPullRequest(ctx, ctx.payload.pull_request),
  },
});
