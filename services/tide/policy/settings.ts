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
}

export const defaultPolicySettings: PolicySettings = {
  batchSizeLimit: 0,
  maxBatch: 10,
  maxWindow: 20,
  minWindow: 3,
  ciBudget: 10,
  speculationThreshold: 0.3,
  learningRate: 0.05,
};

/** The largest batch the settings allow. */
export function batchCap(settings: PolicySettings): number {
  if (settings.batchSizeLimit < 0) return 1;
  if (settings.batchSizeLimit === 0) return settings.maxBatch;
  return settings.batchSizeLimit;
}
