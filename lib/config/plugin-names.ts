import type { ConfigIssue } from './config-issue.ts';
import { issueAt, type YamlFile } from './yaml-file.ts';

/**
 * Every plugin name Prow's hook registers (kubernetes-sigs/prow `pkg/plugins/*`), so a name Prow knows and
 * prow-ts does not run yet is a warning, while a typo is an error.
 */
export const prowPluginNames: ReadonlySet<string> = new Set([
  'approve', 'assign', 'blockade', 'blunderbuss', 'branchcleaner', 'bugzilla', 'buildifier', 'cat',
  'cherry-pick-approved', 'cherry-pick-unapproved', 'cla', 'config-updater', 'dco', 'dog', 'golint', 'goose',
  'heart', 'help', 'hold', 'invalidcommitmsg', 'issue-management', 'jira', 'label', 'lgtm', 'lifecycle',
  'merge-method-comment', 'mergecommitblocker', 'milestone', 'milestoneapplier', 'milestonestatus', 'override',
  'owners-label', 'pony', 'project', 'projectmanager', 'release-note', 'require-matching-label', 'retitle',
  'reward-owners', 'rifle', 'shrug', 'sigmention', 'size', 'skip', 'slackevents', 'stage', 'testfreeze',
  'trick-or-treat', 'trigger', 'verify-owners', 'welcome', 'wip', 'yuks',
]);

/**
 * Checks the plugin names enabled in plugins.yaml against the plugins prow-ts implements: an unknown name is
 * an error at its position; a Prow plugin prow-ts does not implement yet is a warning naming it.
 */
export function pluginNameIssues(yaml: YamlFile, implemented: readonly string[]): ConfigIssue[] {
  const data = yaml.data as { plugins?: Record<string, unknown> } | undefined;
  const ours = new Set(implemented);
  const issues: ConfigIssue[] = [];
  // One warning per missing Prow plugin, at its first use: Kubernetes enables some in dozens of places.
  const pending = new Map<string, { path: (string | number)[]; uses: number }>();
  for (const [scope, entry] of Object.entries(data?.plugins ?? {})) {
    const listPath: (string | number)[] = Array.isArray(entry) ? ['plugins', scope] : ['plugins', scope, 'plugins'];
    const names: unknown = Array.isArray(entry) ? entry : (entry as { plugins?: unknown } | null)?.plugins;
    if (!Array.isArray(names)) continue;
    names.forEach((name: unknown, i) => {
      if (typeof name !== 'string' || ours.has(name)) return;
      const path = [...listPath, i];
      if (prowPluginNames.has(name)) {
        const seen = pending.get(name);
        if (seen) seen.uses++;
        else pending.set(name, { path, uses: 1 });
      } else {
        const known = [...ours].sort().join(', ');
        issues.push(issueAt(yaml, path, `unknown plugin "${name}"; prow-ts has: ${known}`));
      }
    });
  }
  for (const [name, { path, uses }] of pending) {
    const where = uses > 1 ? ` (enabled in ${uses} places)` : '';
    issues.push(issueAt(yaml, path, `Prow plugin "${name}" is not implemented yet${where}, ignored`, 'warning'));
  }
  return issues;
}
