export type { ProwJob, ProwJobSpec, ProwJobState, ProwJobStatus, ProwJobType, Pull, Refs } from './prowjob.ts';
export { finalStates } from './prowjob.ts';
export { isValidLabelValue, labelsAndAnnotationsFor, prowLabels } from './prowjob-labels.ts';
export {
  newBatchJob,
  newPeriodicJob,
  newPostsubmitJob,
  newPresubmitJob,
  newProwJob,
  periodicSpec,
  postsubmitSpec,
  presubmitSpec,
  pullFrom,
  refsForPullRequest,
  type NewJobOptions,
  type PullRequestLike,
} from './new-prowjob.ts';
export {
  needsExplicitTrigger,
  postsubmitShouldRun,
  presubmitShouldRun,
  presubmitsForComment,
  testAllRe,
  triggerMatches,
  type ChangedFiles,
  type PresubmitRequest,
} from './job-selection.ts';
export { JobConflictError, matchesSelector, type JobChange, type JobSelector, type JobStore, type JobWatch } from './job-store.ts';
export { createRedisJobStore, type RedisJobStoreOptions } from './redis-job-store.ts';
export { jobUrl, jobUrlPrefix, type JobUrlConfig } from './job-url.ts';
export { createKubeJobStore, type KubeJobStoreOptions } from './kube-job-store.ts';
