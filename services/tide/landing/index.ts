export type { GitIdentity, LandingPull, MergeCommitTemplate, MergeMethod, TrainMember } from './types.ts';
export type { GitRemote } from './clone-cache.ts';
export { mergeTemplateFor, renderMergeTemplate, templateData } from './commit-message.ts';
export {
  createTrainBuilder,
  defaultTrainCommitter,
  trainRef,
  type TrainBuilder,
  type TrainBuilderOptions,
  type TrainBuildRequest,
  type TrainBuildResult,
  type TrainRejection,
} from './train-commit.ts';
export {
  landFastForward,
  landTrain,
  landViaApi,
  landedComment,
  prowBaseModifiedDelaysMs,
  type ApiLandOptions,
  type ApiLandRequest,
  type ApiLandResult,
  type ApiMergeOutcome,
  type FastForwardRequest,
  type FastForwardResult,
  type LandingMode,
  type LandRequest,
  type LandResult,
} from './land.ts';
export { classifyMergeError, unmergeableHint, type MergeRefusal } from './merge-errors.ts';
