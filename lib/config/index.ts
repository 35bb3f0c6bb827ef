export { formatIssue, type ConfigIssue } from './config-issue.ts';
export { ConfigWatcher, type ConfigEvent, type ConfigSnapshot, type ConfigWatcherOptions } from './config-watcher.ts';
export { loadConfig, loadConfigOrThrow, type LoadOptions, type LoadResult } from './load-config.ts';
export { pluginsFor, postsubmitsFor, presubmitsFor } from './lookups.ts';
export { branchFiltersIntersect, shouldRunOnBranch, type BranchFilter } from './brancher.ts';
export { defaultRerunCommandFor, defaultTriggerFor } from './job-defaults.ts';
export { compileGoRegexp } from './go/go-regexp.ts';
export { parseGoDuration } from './go/go-duration.ts';
export type * from './prow-config.ts';
