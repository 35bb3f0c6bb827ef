import type { PluginConfig } from '../../lib/config/index.ts';
import type { PluginContextBase } from '../plugin.ts';
import { isTeamMember } from '../shared/org-membership.ts';

type LabelConfig = NonNullable<PluginConfig['label']>;

/** One `restricted_labels` entry. */
export type RestrictedLabel = NonNullable<LabelConfig['restricted_labels']>[string][number];

/**
 * The restricted labels that apply to `org/repo`, keyed by lowercased label: entries under `*`, then the
 * org, then `org/repo`, a more specific key replacing a label defined before, as Prow's RestrictedLabelsFor.
 */
export function restrictedLabelsFor(config: LabelConfig | undefined, org: string, repo: string): Map<string, RestrictedLabel> {
  const result = new Map<string, RestrictedLabel>();
  for (const key of ['*', org, `${org}/${repo}`]) {
    for (const entry of config?.restricted_labels?.[key] ?? []) result.set(entry.label.toLowerCase(), entry);
  }
  return result;
}

/** The labels whose addition triggers assigning a restricted label's allowed users (`assign_on: [{label}]`). */
export function assignOnLabels(entry: RestrictedLabel): string[] {
  return (entry.assign_on ?? []).flatMap((on) => (typeof on.label === 'string' ? [on.label] : []));
}

/**
 * Why `login` may not add or remove `label`, or undefined when they may: a label that is not restricted is
 * free for all; a restricted one needs an allowed user or a member of an allowed team. The wording is Prow's.
 */
export async function restrictedLabelRefusal(
  ctx: PluginContextBase,
  restricted: Map<string, RestrictedLabel>,
  login: string,
  label: string,
): Promise<string | undefined> {
  const entry = restricted.get(label.toLowerCase());
  if (!entry) return undefined;
  const users = entry.allowed_users ?? [];
  const teams = entry.allowed_teams ?? [];
  if (users.some((u) => u.toLowerCase() === login.toLowerCase())) return undefined;
  for (const team of teams) if (await isTeamMember(ctx.github, ctx.org, team, login)) return undefined;
  let msg = `The label(s) \`${label}\` cannot be applied or removed, because you are not in one of the allowed teams and are not an allowed user.`;
  if (teams.length > 0) msg += ` Must be a member of one of these teams: ${teams.join(', ')}`;
  else if (users.length > 0) msg += ` Consider assigning one of the following members: ${users.slice(0, 20).join(',')}`;
  return msg;
}
