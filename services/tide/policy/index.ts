export { decide, jobFinished, landed, landFailed, placeOf, syncPulls, verdictOf, type Decision, type JobsFor, type PolicyAction } from './decide.ts';
export { batchSize, trainFailureChance } from './estimates.ts';
export { emptyPoolState, priorEstimates, type Estimates, type PoolState, type QueueEntry, type Train, type TrainJob } from './pool-state.ts';
export { batchCap, defaultPolicySettings, type PolicySettings } from './settings.ts';
