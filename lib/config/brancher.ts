import { compileGoRegexp } from './go/go-regexp.ts';

/** The branch filter every presubmit and postsubmit has. */
export interface BranchFilter {
  branches?: string[] | undefined;
  skip_branches?: string[] | undefined;
}

const anyMatch = (patterns: readonly string[], branch: string): boolean => patterns.some((p) => compileGoRegexp(p).test(branch));

/** Whether a job with this filter runs on `branch` (Prow's Brancher.ShouldRun: skip_branches wins, nothing set = all). */
export function shouldRunOnBranch(filter: BranchFilter, branch: string): boolean {
  const skip = filter.skip_branches ?? [];
  const only = filter.branches ?? [];
  if (skip.length > 0 && anyMatch(skip, branch)) return false;
  return only.length === 0 || anyMatch(only, branch);
}

/** Whether two filters can select the same branch (Prow's Brancher.Intersects), used to find duplicate jobs. */
export function branchFiltersIntersect(a: BranchFilter, b: BranchFilter): boolean {
  const all = (f: BranchFilter): boolean => (f.branches ?? []).length === 0 && (f.skip_branches ?? []).length === 0;
  if (all(a) || all(b)) return true;
  const aBranches = a.branches ?? [];
  const bBranches = b.branches ?? [];
  if (aBranches.length > 0) {
    if (bBranches.length > 0) return aBranches.some((x) => bBranches.includes(x));
    return aBranches.some((x) => shouldRunOnBranch(b, x));
  }
  if (bBranches.length === 0) return true;
  return branchFiltersIntersect(b, a);
}
