import type { JobsFor, PolicyAction } from './actions.ts';
import { cancelChecks, checksOf, eject, entryOf, inTrains } from './pool-ops.ts';
import type { PoolState, Train } from './pool-state.ts';
import { defaultPolicySettings, type PolicySettings } from './settings.ts';

/** The probes run for train or screen `of`. */
export function probesOf(state: PoolState, of: string): Train[] {
  return checksOf(state).filter((c) => c.check?.kind === 'probe' && c.check.of === of);
}

/** The probe has its answer: true when the PR failed the job alone, undefined while it runs. */
export function probeFailed(probe: Train): boolean | undefined {
  const run = Object.values(probe.jobs)[0];
  if (run === undefined || run.state === 'pending') return undefined;
  return run.state === 'failure';
}

/**
 * The PRs the probes name, once they all answered: those that failed the job alone. Several failing the same
 * job at once is more likely one culprit and a flake beside it than two culprits, so each of those runs
 * again first (undefined meanwhile, with the retries in `actions`), and only a second failure names it.
 */
export function namedCulprits(probes: readonly Train[], actions: PolicyAction[]): Map<number, string> | undefined {
  if (probes.some((p) => probeFailed(p) === undefined)) return undefined;
  const failed = probes.filter((p) => probeFailed(p) === true);
  const culprits = new Map<number, string>();
  let retrying = false;
  for (const probe of failed) {
    const [job, run] = Object.entries(probe.jobs)[0] ?? [];
    const [number] = probe.batch;
    if (job === undefined || run === undefined || number === undefined) continue;
    const siblings = failed.filter((p) => p.jobs[job] !== undefined);
    if (siblings.length > 1 && run.attempts === 1) {
      run.state = 'pending';
      run.attempts = 2;
      actions.push({ kind: 'retry-job', train: probe.id, job });
      retrying = true;
    } else culprits.set(number, job);
  }
  return retrying ? undefined : culprits;
}

/**
 * Starts one probe per PR in `numbers`: `job` alone on `parent`'s commit (the base when undefined) plus that
 * PR. Run beside the retry of a failed job, they answer in one job's time, for a tenth of a run each, which
 * PR broke it; bisecting with whole trains would take a full run per level.
 */
export function startProbes(state: PoolState, of: string, job: string, parent: Train | undefined, numbers: readonly number[], now: number): PolicyAction[] {
  return numbers.map((number) => {
    const probe: Train = {
      id: String(state.nextTrain++),
      parent: parent?.id,
      batch: [number],
      members: [...(parent?.members ?? []), number],
      state: 'testing',
      jobs: { [job]: { state: 'pending', attempts: 1 } },
      startedAt: now,
      check: { kind: 'probe', of, job },
    };
    checksOf(state).push(probe);
    return { kind: 'start-train', train: structuredClone(probe) };
  });
}

/** The live screens. */
export function screensOf(state: PoolState): Train[] {
  return checksOf(state).filter((c) => c.check?.kind === 'screen');
}

/** A screen's failed job gets its probes as soon as it fails: on the base, one per PR still queued. */
export function probeScreenFailures(state: PoolState, settings: PolicySettings, now: number): PolicyAction[] {
  if (settings.probes === false) return [];
  const actions: PolicyAction[] = [];
  for (const screen of screensOf(state)) {
    const probed = new Set(probesOf(state, screen.id).map((p) => (p.check?.kind === 'probe' ? p.check.job : '')));
    for (const [job, run] of Object.entries(screen.jobs)) {
      if (run.state !== 'failure' || probed.has(job)) continue;
      const queued = screen.batch.filter((n) => entryOf(state, n) !== undefined);
      actions.push(...startProbes(state, screen.id, job, undefined, queued, now));
    }
  }
  return actions;
}

/**
 * A screen whose jobs and probes all answered: each PR that failed a job alone is ejected (it failed that job
 * twice: in the screen and alone), and the others are marked screened. A screen that failed a job it could
 * not probe tells nothing.
 */
export function resolveScreens(state: PoolState, settings: PolicySettings): PolicyAction[] {
  const actions: PolicyAction[] = [];
  for (const screen of screensOf(state)) {
    const jobs = Object.entries(screen.jobs);
    const probes = probesOf(state, screen.id);
    if (jobs.some(([, run]) => run.state === 'pending')) continue;
    const culprits = namedCulprits(probes, actions);
    if (culprits === undefined) continue;
    const probedJobs = new Set(probes.map((p) => (p.check?.kind === 'probe' ? p.check.job : '')));
    const informative = jobs.every(([job, run]) => run.state === 'success' || probedJobs.has(job));
    state.checks = checksOf(state).filter((c) => c !== screen && !probes.includes(c));
    if (!informative) continue;
    for (const number of screen.batch) {
      const job = culprits.get(number);
      if (job !== undefined) {
        actions.push(...eject(state, settings, number, job, screen.id));
        continue;
      }
      const entry = entryOf(state, number);
      if (entry !== undefined) entry.screened = true;
    }
  }
  return actions;
}

/**
 * Cancels checks that can no longer tell anything: a probe whose train or screen is gone or landing, whose
 * job passed there after all (the failure was a flake), or whose PR left the queue; a screen whose PRs all
 * left the queue or ride in the chain, which tests them anyway.
 */
export function dropMootChecks(state: PoolState): PolicyAction[] {
  const riding = inTrains(state);
  const waiting = (n: number): boolean => entryOf(state, n) !== undefined && !riding.has(n);
  const actions = cancelChecks(state, (c) => c.check?.kind === 'screen' && !c.batch.some(waiting));
  const live = new Map([...state.trains.filter((t) => t.state !== 'landing'), ...checksOf(state)].map((t) => [t.id, t]));
  actions.push(
    ...cancelChecks(state, (c) => {
      if (c.check?.kind !== 'probe') return false;
      const [number] = c.batch;
      const of = live.get(c.check.of);
      return of === undefined || of.jobs[c.check.job]?.state === 'success' || number === undefined || entryOf(state, number) === undefined;
    }),
  );
  return actions;
}

/**
 * Screens the PRs the chain has not reached with the CI the chain leaves idle: batches of waiting PRs not yet
 * screened, in queue order, each tested on the base. Only a full batch is worth a run: a short wait ends
 * in the chain anyway, which would make the screen moot.
 */
export function buildScreens(state: PoolState, settings: PolicySettings, now: number, jobsFor: JobsFor): PolicyAction[] {
  const size = settings.screenBatch ?? defaultPolicySettings.screenBatch ?? 0;
  // Without probes a failed screen names nobody, and its PRs would only be screened again.
  if (size <= 0 || settings.probes === false) return [];
  const actions: PolicyAction[] = [];
  const riding = inTrains(state);
  const screening = new Set(screensOf(state).flatMap((s) => s.batch));
  let candidates = state.queue.filter((e) => e.screened !== true && !riding.has(e.number) && !screening.has(e.number)).map((e) => e.number);
  while (candidates.length >= size && state.trains.length + screensOf(state).length < settings.ciBudget) {
    const batch = candidates.slice(0, size);
    candidates = candidates.slice(size);
    const screen: Train = {
      id: String(state.nextTrain++),
      parent: undefined,
      batch,
      members: batch,
      state: 'testing',
      jobs: Object.fromEntries(jobsFor(batch).map((j) => [j, { state: 'pending' as const, attempts: 1 }])),
      startedAt: now,
      check: { kind: 'screen' },
    };
    checksOf(state).push(screen);
    actions.push({ kind: 'start-train', train: structuredClone(screen) });
  }
  return actions;
}
