import type { GenericComment } from '../generic-comment.ts';
import type { PluginContextBase } from '../plugin.ts';
import { addIssueLabel, issueLabelNames, removeIssueLabel } from '../shared/issue-label-edits.ts';
import { isOrgMember } from '../shared/org-membership.ts';
import { replyOnce } from '../shared/reply-once.ts';
import { hasLabelCommands, parseLabelCommands } from './label-commands.ts';
import { needsLabelsToAdd, needsLabelsToRemove } from './needs-labels.ts';
import { restrictedLabelRefusal, restrictedLabelsFor } from './restricted-labels.ts';

const triageAccepted = 'triage/accepted';

/** Lowercased label name to the name as the repo spells it. */
async function repoLabelNames(ctx: PluginContextBase): Promise<Map<string, string>> {
  const labels = await ctx.github.paginate(ctx.github.rest.issues.listLabelsForRepo, { owner: ctx.org, repo: ctx.repo, per_page: 100 });
  return new Map(labels.map((l) => [l.name.toLowerCase(), l.name]));
}

const ticks = (labels: string[]): string => `\`${labels.join(', ')}\``;

/**
 * Prow's label commands. Every command in the comment is applied; everything refused (a restricted label,
 * an unsupported `/label`, a label the repo lacks or the issue does not carry, `triage/accepted` from a
 * non-member) is explained in one reply, where Prow posts several or keeps some quiet.
 */
export async function handleLabelComment(ctx: PluginContextBase, comment: GenericComment): Promise<void> {
  if (comment.action !== 'created') return;
  const config = ctx.config.plugins.label;
  const additional = config?.additional_labels ?? [];
  const additionalSet = new Set(additional.map((l) => l.toLowerCase()));
  const restricted = restrictedLabelsFor(config, ctx.org, ctx.repo);
  const commands = parseLabelCommands(comment.body, (label) => restricted.has(label) || additionalSet.has(label));
  if (!hasLabelCommands(commands)) return;

  const repoLabels = await repoLabelNames(ctx);
  const issueLabels = await issueLabelNames(ctx, comment.number);
  const onIssue = new Set(issueLabels.map((l) => l.toLowerCase()));
  const toAdd = [...new Set([...commands.add, ...needsLabelsToAdd(new Set(repoLabels.keys()), issueLabels, commands.add, commands.remove)])];
  const toRemove = [...new Set(commands.remove)];

  const refusals: string[] = [];
  const missingInRepo: string[] = [];
  const notOnIssue: string[] = [];
  const added: string[] = [];
  let nonMemberTriageAccepted = false;

  for (const label of toAdd) {
    if (onIssue.has(label)) continue;
    const name = repoLabels.get(label);
    if (name === undefined) {
      missingInRepo.push(label);
      continue;
    }
    if (label === triageAccepted && !(await isOrgMember(ctx.github, ctx.org, comment.author))) {
      nonMemberTriageAccepted = true;
      continue;
    }
    const refusal = await restrictedLabelRefusal(ctx, restricted, comment.author, label);
    if (refusal !== undefined) {
      refusals.push(refusal);
      continue;
    }
    await addIssueLabel(ctx, comment.number, name);
    added.push(label);
  }

  for (const label of toRemove) {
    if (!onIssue.has(label)) {
      notOnIssue.push(label);
      continue;
    }
    const refusal = await restrictedLabelRefusal(ctx, restricted, comment.author, label);
    if (refusal !== undefined) {
      refusals.push(refusal);
      continue;
    }
    await removeIssueLabel(ctx, comment.number, repoLabels.get(label) ?? label);
  }

  const present = [...added, ...toAdd.filter((l) => onIssue.has(l))];
  for (const needs of needsLabelsToRemove(issueLabels, present)) await removeIssueLabel(ctx, comment.number, repoLabels.get(needs) ?? needs);

  if (commands.unsupported.length > 0) {
    const supported = [...additional, ...[...restricted.keys()].sort()];
    refusals.push(
      `The label(s) ${ticks(commands.unsupported)} cannot be applied. These labels are supported: ${ticks(supported)}. ` +
        'Is this label configured under `labels -> additional_labels` or `labels -> restricted_labels` in `plugin.yaml`?',
    );
  }
  if (commands.malformed.length > 0) {
    refusals.push(`The command(s) ${ticks(commands.malformed)} cannot be applied: \`/label\` and \`/remove-label\` take exactly one label.`);
  }
  if (missingInRepo.length > 0) refusals.push(`The label(s) ${ticks(missingInRepo)} cannot be applied, because the repository doesn't have them.`);
  if (notOnIssue.length > 0) refusals.push(`Those labels are not set on the issue: ${ticks(notOnIssue)}`);
  if (nonMemberTriageAccepted) {
    refusals.push(`The label \`${triageAccepted}\` cannot be applied. Only GitHub organization members can add the label.`);
  }
  if (refusals.length > 0) {
    ctx.log.info({ number: comment.number, refusals: refusals.length }, 'label commands refused');
    await replyOnce(ctx, comment, refusals.join('\n\n'));
  }
}
