import type { JobsFor, PolicyAction } from './actions.ts';
import { namedCulprits, probesOf, screensOf, startProbes } from './checks.ts';
import { batchFailureChance, isFullBatch, nextBatch } from './estimates.ts';
import { cancelChecks, cancelFrom, eject, entryOf, failedOnce, inTrains, verdictOf } from './pool-ops.ts';
import type { PoolState, Train } from './pool-state.ts';
import { defaultPolicySettings, type PolicySettings } from './settings.ts';

/**
 * Lands the deepest green train: it tested everything ahead of it, so a train ahead that is red from a flake,
 * or still testing, lands with it. One landing at a time.
 */
export function landDeepestGreen(state: PoolState): PolicyAction[] {
  if (state.trains.some((t) => t.state === 'landing')) return [];
  let deepest = -1;
  state.trains.forEach((t, i) => {
    if (verdictOf(t) === 'green') deepest = i;
  });
  const train = state.trains[deepest];
  if (train === undefined) return [];
  const actions = state.trains.slice(0, deepest).map((t): PolicyAction => ({ kind: 'cancel-train', train: t.id }));
  state.trains.splice(0, deepest);
  train.state = 'landing';
  actions.push({ kind: 'land', train: train.id, numbers: [...train.members] });
  return actions;
}

/** The job that failed twice on a red train. */
function redJob(train: Train): string {
  return Object.entries(train.jobs).find(([, j]) => j.state === 'failure' && j.attempts >= 2)?.[0] ?? '';
}

/** Who broke red `train`'s `job`: its one PR, or those its probes name (undefined while they answer). */
function culpritsOf(state: PoolState, train: Train, job: string, actions: PolicyAction[]): Map<number, string> | undefined {
  if (train.batch.length === 1) return new Map(train.batch.map((n) => [n, job]));
  return namedCulprits(
    probesOf(state, train.id).filter((p) => p.jobs[job] !== undefined),
    actions,
  );
}

/**
 * The front red train. Trains behind it contain its batch, so they would fail too: they stop at once. It is
 * blamed only when everything ahead is green and its probes answered: then the PRs that failed the job alone
 * are ejected and the rest of its batch goes first into the next train; a single PR is ejected as it is; a
 * batch whose probes all passed (the failure needs several PRs together) is split in halves.
 */
export function resolveRed(state: PoolState, settings: PolicySettings): PolicyAction[] {
  const red = state.trains.findIndex((t) => t.state !== 'landing' && verdictOf(t) === 'red');
  const train = state.trains[red];
  if (train === undefined) return [];
  const actions: PolicyAction[] = [];
  const aheadGreen = state.trains.slice(0, red).every((t) => t.state === 'landing' || verdictOf(t) === 'green');
  const job = redJob(train);
  const named = aheadGreen ? culpritsOf(state, train, job, actions) : undefined;
  if (named === undefined) return [...cancelFrom(state, red + 1), ...actions];

  actions.unshift(...cancelFrom(state, red));
  actions.push(...cancelChecks(state, (c) => c.check?.kind === 'probe' && c.check.of === train.id));
  state.window = Math.max(settings.minWindow, Math.floor(state.window / 2));
  const culprits = [...named.keys()];
  if (culprits.length > 0) {
    for (const number of culprits) actions.push(...eject(state, settings, number, job, train.id));
    const rest = train.batch.filter((n) => !culprits.includes(n));
    if (rest.length > 0) state.groups = [rest, ...withoutAny(state.groups, rest)];
    return actions;
  }
  const half = Math.ceil(train.batch.length / 2);
  state.groups = [train.batch.slice(0, half), train.batch.slice(half), ...withoutAny(state.groups, train.batch)];
  return actions;
}

function withoutAny(groups: number[][], numbers: readonly number[]): number[][] {
  const drop = new Set(numbers);
  return groups.map((g) => g.filter((n) => !drop.has(n))).filter((g) => g.length > 0);
}

/**
 * A job that failed once on a train is run again, and, when the batch has several PRs, probed on each PR not
 * yet screened, so the retry says whether it was a flake and the probes say who broke it, both in one job's
 * time. Not while a train ahead failed the same job: the train ahead is in this one's commit, so that failure
 * likely explains this one; this one waits for its answer.
 */
export function answerFirstFailures(state: PoolState, settings: PolicySettings, now: number): PolicyAction[] {
  const actions: PolicyAction[] = [];
  state.trains.forEach((train, i) => {
    if (train.state === 'landing' || verdictOf(train) === 'red') return;
    for (const [job, run] of Object.entries(train.jobs)) {
      if (run.state !== 'failure' || run.attempts > 1) continue;
      if (state.trains.slice(0, i).some((t) => failedOnce(t.jobs[job]))) continue;
      run.state = 'pending';
      run.attempts = 2;
      actions.push({ kind: 'retry-job', train: train.id, job });
      const suspects = train.batch.filter((n) => entryOf(state, n)?.screened !== true);
      if (settings.probes !== false && train.batch.length > 1 && suspects.length > 0) {
        actions.push(...startProbes(state, train.id, job, state.trains[i - 1], suspects, now));
      }
    }
  });
  return actions;
}

/**
 * Fills the window with new trains on the tail of the chain while the CI budget (less what screens hold) and
 * the chance that they will be needed allow; never past a red train, whose commit every new one would hold.
 */
export function buildTrains(state: PoolState, settings: PolicySettings, now: number, jobsFor: JobsFor): PolicyAction[] {
  const actions: PolicyAction[] = [];
  const limit = Math.min(state.window, settings.ciBudget - screensOf(state).length);
  for (;;) {
    const tail = state.trains.at(-1);
    if (tail !== undefined && verdictOf(tail) === 'red') return actions;
    const riding = inTrains(state);
    const waiting = state.queue.filter((e) => !riding.has(e.number));
    if (waiting.length === 0 || state.trains.length >= limit) return actions;
    let batch: number[];
    const group = state.groups[0];
    if (group !== undefined) {
      batch = group.filter((n) => waiting.some((e) => e.number === n));
      state.groups.shift();
      if (batch.length === 0) continue;
    } else {
      batch = nextBatch(waiting, state.estimates, settings, Number.POSITIVE_INFINITY);
      // Past the eager trains, a train starts only full: a train for the few PRs that wait now costs a run
      // for them alone, while those arriving until the head lands would share one.
      const full = isFullBatch(batch.map((n) => entryOf(state, n)), state.estimates, settings);
      const testing = state.trains.filter((t) => t.state !== 'landing').length;
      if (!full && testing >= (settings.eagerTrains ?? defaultPolicySettings.eagerTrains ?? 2)) return actions;
    }
    // Speculate only while the trains ahead are likely enough to pass for this one's result to count.
    const ahead = state.trains.filter((t) => t.state !== 'landing' && verdictOf(t) !== 'green');
    const allPass = ahead.reduce((p, t) => p * (1 - batchFailureChance(t.batch.map((n) => entryOf(state, n)), Object.keys(t.jobs).length, state.estimates)), 1);
    if (ahead.length > 0 && allPass < settings.speculationThreshold) {
      if (group !== undefined) state.groups.unshift(group);
      return actions;
    }
    const members = [...(tail?.members ?? []), ...batch];
    const train: Train = {
      id: String(state.nextTrain++),
      parent: tail?.id,
      batch,
      members,
      state: 'testing',
      jobs: Object.fromEntries(jobsFor(members).map((j) => [j, { state: 'pending' as const, attempts: 1 }])),
      startedAt: now,
    };
    state.trains.push(train);
    actions.push({ kind: 'start-train', train: structuredClone(train) });
  }
}
