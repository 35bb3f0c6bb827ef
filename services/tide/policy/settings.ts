/** How a pool's queue behaves; every field has Tide-compatible or documented defaults (see README). */
export interface PolicySettings {
  /** Most PRs in one batch: Tide's `batch_size_limit` (0 = no limit, -1 = no batching, so 1). */
  batchSizeLimit: number;
  /** Batch size cap when `batchSizeLimit` is 0. */
  maxBatch: number;
  /** The window's bounds: at most this many trains at once, never fewer than `minWindow`. */
  maxWindow: number;
  minWindow: number;
  /** Trains the CI may run at once for this pool (the CI budget). */
  ciBudget: number;
  /** A further train starts only while the chance that every train ahead passes is at least this. */
  speculationThreshold: number;
  /** Weight of the newest observation in the failure and flake averages. */
  learningRate: number;
  /**
   * Most PRs in one screen (a batch of waiting PRs tested on the base with spare CI); 0 turns screens off,
   * and so does turning probes off (a failed screen needs them to name its culprit).
   * Optional so settings written before screens existed stay valid: `defaultPolicySettings` has it.
   */
  screenBatch?: number;
  /**
   * Trains under test that may start with whatever waits; a train behind them starts only with a full batch
   * (default 2: the head and one behind it).
   */
  eagerTrains?: number;
  /** Whether a train's or screen's failed job is run on each of its PRs alone, to name the culprit (default on). */
  probes?: boolean;
}

export const defaultPolicySettings: PolicySettings = {
  batchSizeLimit: 0,
  maxBatch: 10,
  maxWindow: 20,
  minWindow: 3,
  ciBudget: 10,
  speculationThreshold: 0.3,
  learningRate: 0.05,
  screenBatch: 10,
  eagerTrains: 2,
  probes: true,
};

/** The largest batch the settings allow. */
export function batchCap(settings: PolicySettings): number {
  if (settings.batchSizeLimit < 0) return 1;
  if (settings.batchSizeLimit === 0) return settings.maxBatch;
  return settings.batchSizeLimit;
}
