/**
 * The entry of a plugins.yaml list (`lgtm:`, `approve:`, ...) that applies to `org/repo`, as Prow's LgtmFor and
 * ApproveFor pick it: the first entry whose `repos` names the repo, else the first naming the org, else undefined.
 */
export function repoScopedConfig<T extends { repos?: string[] | undefined }>(entries: readonly T[] | undefined, org: string, repo: string): T | undefined {
  const full = `${org}/${repo}`;
  return entries?.find((e) => e.repos?.includes(full)) ?? entries?.find((e) => e.repos?.includes(org));
}
