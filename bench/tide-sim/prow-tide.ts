import type { SimPolicy, SimPr, World } from './world.ts';

type JobState = 'pending' | 'success' | 'failure';

/** Best of several runs of one job, as Tide's accumulate: success over pending over failure. */
function best(a: JobState | undefined, b: JobState): JobState {
  if (a === 'success' || b === 'success') return 'success';
  if (a === 'pending' || b === 'pending') return 'pending';
  return 'failure';
}

/**
 * Prow's Tide as it decides (pkg/tide takeAction and pickBatch): one sync a minute, one action per sync;
 * results count only on the current base; merge a passing batch, else merge the lowest-numbered passing PR
 * unless a batch is pending, else start a batch of the oldest retest-eligible PRs (batch_size_limit 15, as
 * kubernetes/kubernetes), else retest the lowest-numbered retest-eligible PR missing results, one at a
 * time. A batch merges PR by PR through the API, 5 s apart. A PR whose own presubmit fails leaves the pool until it is retested.
 */
export function prowTide(batchSizeLimit = 15, syncMinutes = 1): SimPolicy {
  let world: World;
  const pool = new Map<number, SimPr>();
  /** The PR's own contexts (its latest presubmit results, on any base). */
  const head = new Map<number, Map<number, JobState>>();
  /** Results on the current base: per PR, and per batch (keyed by its sorted PR ids). */
  let base = 0;
  /** Presubmit results by the base they ran on (Tide lists jobs by base SHA), then by PR. */
  const serialOn = new Map<number, Map<number, Map<number, JobState>>>();
  const serialAt = (onBase: number): Map<number, Map<number, JobState>> => {
    const found = serialOn.get(onBase) ?? new Map<number, Map<number, JobState>>();
    serialOn.set(onBase, found);
    return found;
  };
  let serial = serialAt(base);
  let batches = new Map<string, { prs: SimPr[]; jobs: Map<number, JobState> }>();
  let merging = false;

  const record = (results: Map<number, JobState>, job: number, state: JobState): void => {
    results.set(job, state === 'pending' ? best(results.get(job), 'pending') : state === 'success' ? 'success' : results.get(job) === 'success' ? 'success' : state);
  };
  const stateOf = (results: Map<number, JobState> | undefined): 'success' | 'pending' | 'missing' => {
    const all = world.allJobs().map((j) => results?.get(j));
    if (all.some((s) => s === undefined || s === 'failure')) return 'missing';
    return all.every((s) => s === 'success') ? 'success' : 'pending';
  };
  /** Per PR, the jobs Tide ever created a presubmit for (TRIGGER) on its head, whatever became of them. */
  const byTide = new Map<number, Set<number>>();
  /**
   * isRetestEligible: every head context passed, or is pending while some presubmit Tide created for this
   * head and context exists (upstream lists them by label, in any state). A PR whose /retest of a job Tide
   * never ran still runs is no candidate (for a batch or a TRIGGER) until it passes.
   */
  const retestEligible = (pr: SimPr): boolean =>
    [...(head.get(pr.id)?.entries() ?? [])].every(([job, s]) => s === 'success' || (s === 'pending' && byTide.get(pr.id)?.has(job) === true));
  /** isPassingTests: every head context passed (MERGE checks it before merging a PR on its own). */
  const passing = (pr: SimPr): boolean => [...(head.get(pr.id)?.values() ?? [])].every((s) => s === 'success');

  /** A presubmit run of `pr` (Tide's TRIGGER, or a human's /retest): reports to the PR's contexts too. */
  const runSerial = (pr: SimPr, jobs: number[], tide: boolean): void => {
    // A /retest runs on the base as it is now, which a merge may have moved since the last sync.
    const onBase = world.baseContent();
    const results = serialAt(onBase).get(pr.id) ?? new Map<number, JobState>();
    serialAt(onBase).set(pr.id, results);
    const own = head.get(pr.id) ?? new Map<number, JobState>();
    head.set(pr.id, own);
    const created = byTide.get(pr.id) ?? new Set<number>();
    byTide.set(pr.id, created);
    for (const j of jobs) {
      results.set(j, best(results.get(j), 'pending'));
      own.set(j, 'pending');
      if (tide) created.add(j);
    }
    world.startRun([pr], jobs, (job, passed) => {
      own.set(job, passed ? 'success' : 'failure');
      record(results, job, passed ? 'success' : 'failure');
      if (!passed && pool.has(pr.id)) {
        // A failed context takes the PR out of the pool; a human or the retest bot comes back to it.
        pool.delete(pr.id);
        world.evict(pr);
      }
    });
  };

  const sync = (): void => {
    world.after(syncMinutes, sync);
    if (merging) return;
    if (world.baseContent() !== base) {
      base = world.baseContent();
      for (const old of serialOn.keys()) if (old !== base) serialOn.delete(old);
      serial = serialAt(base);
      batches = new Map();
    }
    const prs = [...pool.values()].sort((a, b) => a.id - b.id);
    const successes = prs.filter((pr) => stateOf(serial.get(pr.id)) === 'success');
    const pendings = prs.filter((pr) => stateOf(serial.get(pr.id)) === 'pending');
    const missings = prs.filter((pr) => stateOf(serial.get(pr.id)) === 'missing');
    const live = [...batches.values()].filter((b) => b.prs.every((pr) => pool.has(pr.id)));
    const successBatch = live.find((b) => stateOf(b.jobs) === 'success');
    const pendingBatch = live.find((b) => stateOf(b.jobs) === 'pending');

    if (successBatch) { merge(successBatch.prs); return; }
    const first = successes.find(passing);
    if (first !== undefined && !pendingBatch) {
      merge([first]);
      return;
    }
    if (prs.length > 1 && !pendingBatch) {
      const candidates = prs.filter(retestEligible);
      const batch = candidates.slice(0, batchSizeLimit <= 0 ? candidates.length : batchSizeLimit);
      if (batch.length > 1) {
        const key = batch.map((pr) => pr.id).join(',');
        const existing = batches.get(key) ?? { prs: batch, jobs: new Map<number, JobState>() };
        batches.set(key, existing);
        // Trigger skips a job that already has a batch run on this base that did not fail.
        const jobs = world.allJobs().filter((j) => existing.jobs.get(j) === undefined || existing.jobs.get(j) === 'failure');
        const onBase = base;
        for (const j of jobs) existing.jobs.set(j, best(existing.jobs.get(j), 'pending'));
        world.startRun(batch, jobs, (job, passed) => {
          if (onBase === base) record(existing.jobs, job, passed ? 'success' : 'failure');
        });
        return;
      }
    }
    const pr = missings.find(retestEligible);
    if (pr !== undefined && pendings.length === 0 && successes.length === 0) {
      const results = serial.get(pr.id);
      runSerial(pr, world.allJobs().filter((j) => results?.get(j) === undefined || results.get(j) === 'failure'), true);
    }
  };

  const merge = (prs: SimPr[]): void => {
    merging = true;
    world.land(prs, 'sequential', () => {
      for (const pr of prs) pool.delete(pr.id);
      merging = false;
    });
  };

  return {
    name: "Prow's Tide",
    start(w) {
      world = w;
      world.after(0, sync);
    },
    onReady(pr) {
      const own = head.get(pr.id);
      pool.set(pr.id, pr);
      // Back after a failure: the /retest runs the failed jobs again.
      if (own !== undefined && [...own.values()].includes('failure')) {
        runSerial(
          pr,
          [...own.entries()].filter(([, s]) => s === 'failure').map(([j]) => j),
          false,
        );
      }
    },
  };
}
