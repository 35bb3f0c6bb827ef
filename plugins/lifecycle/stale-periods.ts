const day = 86_400_000;

/** How long an item may stay inactive before each step of stale aging, in milliseconds. */
export interface StalePeriods {
  /** No activity for this long: `lifecycle/stale`. Prow's k8s jobs: 90 days. */
  stale: number;
  /** Stale and no activity for this long: `lifecycle/rotten`. 30 days. */
  rotten: number;
  /** Rotten and no activity for this long: closed. 30 days. */
  close: number;
}

/** Kubernetes' periods (its triage robot's `--updated=2160h`, `720h`, `720h`). */
export const defaultStalePeriods: StalePeriods = { stale: 90 * day, rotten: 30 * day, close: 30 * day };

/** A period as people read it in a comment: whole days (`90d`), or hours below a day. */
export function formatPeriod(ms: number): string {
  return ms >= day ? `${Math.round(ms / day)}d` : `${Math.max(1, Math.round(ms / 3_600_000))}h`;
}
