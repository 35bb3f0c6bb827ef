import { posix } from 'node:path';
import type { Refs } from '../lib/jobs/index.ts';
import type { JobSpec } from './options.ts';

/** `value`, or undefined when it is empty: Go's zero value means unset. */
export function set(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/** Prow's `Refs.String()`: `base_ref:base_sha,N:sha[:ref],...`, the value of PULL_REFS and of started.json's repos. */
export function refsString(refs: Refs): string {
  const parts = [refs.base_sha ? `${refs.base_ref ?? ''}:${refs.base_sha}` : (refs.base_ref ?? '')];
  for (const pull of refs.pulls ?? []) parts.push(pull.ref ? `${pull.number}:${pull.sha}:${pull.ref}` : `${pull.number}:${pull.sha}`);
  return parts.join(',');
}

/** The host and path a ref is known by: its path_alias, else its repo_link without the scheme, else github.com/org/repo. */
export function sourcePath(refs: Refs): string {
  if (refs.path_alias) return refs.path_alias;
  if (refs.repo_link) return refs.repo_link.split('://').at(-1) ?? refs.repo_link;
  return `github.com/${refs.org}/${refs.repo}`;
}

/** Prow's `clone.PathForRefs`: where a ref is checked out under the source root. */
export function pathForRefs(srcRoot: string, refs: Refs): string {
  return posix.join(srcRoot, 'src', sourcePath(refs));
}

/** Prow's `DetermineWorkDir`: the ref marked `workdir`, else the first; where the test process starts. */
export function workdirFor(srcRoot: string, refs: readonly Refs[]): string | undefined {
  const chosen = refs.find((r) => r.workdir === true) ?? refs[0];
  return chosen === undefined ? undefined : pathForRefs(srcRoot, chosen);
}

/** Every ref a job clones: its own, then its extra refs, as Prow lists them for clonerefs. */
export function refsToClone(spec: Pick<JobSpec, 'refs' | 'extra_refs'>): Refs[] {
  return [...(spec.refs ? [spec.refs] : []), ...(spec.extra_refs ?? [])];
}

/** The refs a job is about: its own, else the first extra ref that is not auxiliary. */
export function mainRefs(spec: Pick<JobSpec, 'refs' | 'extra_refs'>): Refs | undefined {
  return spec.refs ?? spec.extra_refs?.find((r) => r.auxiliary !== true);
}

/** Prow's `GetRevisionFromSpec`: the first pull's head, else the base sha, else the base ref. */
export function revisionOf(spec: Pick<JobSpec, 'refs' | 'extra_refs'>): string {
  const refs = mainRefs(spec);
  if (refs === undefined) return '';
  return refs.pulls?.[0]?.sha ?? set(refs.base_sha) ?? refs.base_ref ?? '';
}
