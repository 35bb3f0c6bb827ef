import type { PluginConfig, Postsubmit, Presubmit, ProwConfig } from './prow-config.ts';

/** The presubmits configured for `org/repo` (empty when none). */
export function presubmitsFor(config: ProwConfig, fullName: string): readonly Presubmit[] {
  return config.presubmits[fullName] ?? [];
}

/** The postsubmits configured for `org/repo` (empty when none). */
export function postsubmitsFor(config: ProwConfig, fullName: string): readonly Postsubmit[] {
  return config.postsubmits[fullName] ?? [];
}

/**
 * The plugins enabled for `org/repo`, as Prow's getPlugins computes them: the org's list unless the repo is in
 * the org's `excluded_repos` (by name, or by full name for readability), then the repo's own list; no repeats.
 */
export function pluginsFor(plugins: PluginConfig, fullName: string): string[] {
  const [org = '', repo = ''] = fullName.split('/');
  const forOrg = plugins.plugins[org];
  const excluded = forOrg?.excluded_repos.some((r) => r === repo || r === fullName) ?? false;
  const names = [...(excluded ? [] : (forOrg?.plugins ?? [])), ...(plugins.plugins[fullName]?.plugins ?? [])];
  return [...new Set(names)];
}
