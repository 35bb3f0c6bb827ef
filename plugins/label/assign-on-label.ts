import type { PluginContext } from '../plugin.ts';
import { assignOnLabels, restrictedLabelsFor } from './restricted-labels.ts';

/**
 * `assign_on`: when a PR gets one of a restricted label's `assign_on` labels, that label's allowed users are
 * assigned, so the people who may apply it are asked to look.
 */
export async function assignOnLabel(ctx: PluginContext<'pull_request.labeled'>): Promise<void> {
  const labelName = ctx.payload.label?.name.toLowerCase();
  if (labelName === undefined) return;
  for (const entry of restrictedLabelsFor(ctx.config.plugins.label, ctx.org, ctx.repo).values()) {
    const users = entry.allowed_users ?? [];
    if (users.length === 0 || !assignOnLabels(entry).some((l) => l.toLowerCase() === labelName)) continue;
    ctx.log.info({ label: entry.label, users }, 'assigning the users allowed to set a restricted label');
    await ctx.github.rest.issues.addAssignees({ owner: ctx.org, repo: ctx.repo, issue_number: ctx.payload.pull_request.number, assignees: users });
  }
}
