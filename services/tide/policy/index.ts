export { decide, jobFinished, landed, landFailed, placeOf, syncPulls, verdictOf, type Decision, type JobsFor, type PolicyAction } from './decide.ts';
export { batchFailureChance, batchSize, nextBatch, riskOf, trainFailureChance } from './estimates.ts';
export { emptyPoolState, priorEstimates, screenedPrior, type Check, type Estimates, type PoolState, type QueueEntry, type Train, type TrainJob } from './pool-state.ts';
export { batchCap, defaultPolicySettings, type PolicySettings } from './settings.ts';
