import { batchSize, ewma, trainFailureChance } from './estimates.ts';
import type { PoolState, QueueEntry, Train } from './pool-state.ts';
import type { PolicySettings } from './settings.ts';

/** What the policy asks its driver to do; the driver reports back through the functions of this file. */
export type PolicyAction =
  /** Build the train's commit (its parent's, or the base, plus its batch) and run its jobs on it. */
  | { kind: 'start-train'; train: Train }
  /** Run one job of a train again (its first run failed). */
  | { kind: 'retry-job'; train: string; job: string }
  /** Stop a train's jobs: it is no longer wanted. */
  | { kind: 'cancel-train'; train: string }
  /** Land the train's tested commit, with every PR in it. */
  | { kind: 'land'; train: string; numbers: number[] }
  /** Take a PR out of the queue: it failed `job` alone. */
  | { kind: 'eject'; number: number; job: string; train: string };

/** The next state and what to do. */
export interface Decision {
  state: PoolState;
  actions: PolicyAction[];
}

/** The required jobs of a commit made of these PRs (the union of what their changes require). */
export type JobsFor = (members: readonly number[]) => string[];

type Verdict = 'testing' | 'green' | 'red';

/** Where a train stands: red once a job failed twice, green once every job passed. */
export function verdictOf(train: Train): Verdict {
  const jobs = Object.values(train.jobs);
  if (jobs.some((j) => j.state === 'failure' && j.attempts >= 2)) return 'red';
  if (jobs.every((j) => j.state === 'success')) return 'green';
  return 'testing';
}

function byQueueOrder(a: QueueEntry, b: QueueEntry): number {
  return a.priority - b.priority || a.since - b.since || a.number - b.number;
}

/** Cancels trains[from..]; returns the cancel actions. */
function cancelFrom(state: PoolState, from: number): PolicyAction[] {
  const gone = state.trains.splice(from);
  return gone.map((t) => ({ kind: 'cancel-train', train: t.id }));
}

/** PRs in some train's commit (a train's members include everything ahead of it). */
function inTrains(state: PoolState): Set<number> {
  return new Set(state.trains.flatMap((t) => t.members));
}

/**
 * Brings the queue in line with a sync: `eligible` PRs join (at the back of their priority class) or stay;
 * a PR that left, or whose head changed, leaves and takes down the trains that contain it and those behind.
 * `ownCiOnly` are PRs kept out only by their own presubmits failing: one already riding a train stays (its
 * train tests it anyway), one not yet in a train waits outside. A base that moved other than by our landing
 * rebuilds every train.
 */
export function syncPulls(current: PoolState, eligible: readonly QueueEntry[], baseSha: string, ownCiOnly: readonly QueueEntry[] = []): Decision {
  const state = structuredClone(current);
  const actions: PolicyAction[] = [];
  if (baseSha !== state.baseSha) {
    actions.push(...cancelFrom(state, 0));
    state.baseSha = baseSha;
  }
  const wanted = new Map(eligible.map((e) => [e.number, e]));
  const riding = inTrains(state);
  for (const e of ownCiOnly) if (riding.has(e.number) && !wanted.has(e.number)) wanted.set(e.number, e);

  const stays = (entry: QueueEntry): boolean => wanted.get(entry.number)?.headSha === entry.headSha;
  const leaving = state.queue.filter((e) => !stays(e)).map((e) => e.number);
  if (leaving.length > 0) {
    const first = state.trains.findIndex((t) => t.members.some((n) => leaving.includes(n)));
    if (first >= 0) actions.push(...cancelFrom(state, first));
  }
  const kept = state.queue.filter(stays);
  for (const e of kept) e.priority = wanted.get(e.number)?.priority ?? e.priority;
  const known = new Set(kept.map((e) => e.number));
  const joining = eligible.filter((e) => !known.has(e.number));
  const ridingNow = inTrains(state);
  // Trains keep their order at the front; everything else is ordered by priority, then time in the queue.
  const front = state.trains.flatMap((t) => t.batch.map((n) => kept.find((e) => e.number === n))).filter((e): e is QueueEntry => e !== undefined);
  const rest = [...kept.filter((e) => !ridingNow.has(e.number)), ...joining.map((e) => ({ ...e }))].sort(byQueueOrder);
  state.queue = [...front, ...rest];
  const queued = new Set(state.queue.map((e) => e.number));
  state.groups = state.groups.map((g) => g.filter((n) => queued.has(n))).filter((g) => g.length > 0);
  return { state, actions };
}

/** Records one job's result on a train; a result for a train no longer live is ignored. */
export function jobFinished(current: PoolState, settings: PolicySettings, trainId: string, job: string, passed: boolean): PoolState {
  const state = structuredClone(current);
  const train = state.trains.find((t) => t.id === trainId);
  const run = train?.jobs[job];
  if (train === undefined || run?.state !== 'pending') return current;
  run.state = passed ? 'success' : 'failure';
  // A pass on the first run says nothing of flakiness; a pass on the retry is one flake seen.
  if (passed) state.estimates.flake = ewma(state.estimates.flake, run.attempts > 1 ? 1 : 0, settings.learningRate);
  return state;
}

/** The train landed: it and every train ahead leave with their PRs, and the base is its commit. */
export function landed(current: PoolState, settings: PolicySettings, trainId: string, newBaseSha: string): PoolState {
  const state = structuredClone(current);
  const index = state.trains.findIndex((t) => t.id === trainId);
  const train = state.trains[index];
  if (train === undefined) return current;
  const merged = new Set(train.members);
  state.trains.splice(0, index + 1);
  const next = state.trains[0];
  if (next !== undefined) next.parent = undefined;
  state.queue = state.queue.filter((e) => !merged.has(e.number));
  state.groups = state.groups.map((g) => g.filter((n) => !merged.has(n))).filter((g) => g.length > 0);
  state.baseSha = newBaseSha;
  state.window = Math.min(settings.maxWindow, state.window + 1);
  for (let i = 0; i < merged.size; i++) state.estimates.failure = ewma(state.estimates.failure, 0, settings.learningRate);
  return state;
}

/** Landing failed (the base moved under us, or GitHub refused): every train is rebuilt on the next decide. */
export function landFailed(current: PoolState): Decision {
  const state = structuredClone(current);
  return { state, actions: cancelFrom(state, 0) };
}

/**
 * One step of the policy: land the deepest green train (it tested everything ahead of it, so a train ahead
 * that is red from a flake, or still testing, lands with it); blame a red train only when everything ahead is
 * green, then eject its PR or split its batch; retry a job that failed once; and fill the window with new
 * trains on the tail of the chain while the CI budget and the chance that they will be needed allow.
 */
export function decide(current: PoolState, settings: PolicySettings, now: number, jobsFor: JobsFor): Decision {
  const state = structuredClone(current);
  const actions: PolicyAction[] = [];
  const landing = state.trains.some((t) => t.state === 'landing');

  if (!landing) {
    let deepest = -1;
    state.trains.forEach((t, i) => {
      if (verdictOf(t) === 'green') deepest = i;
    });
    const train = state.trains[deepest];
    if (train !== undefined) {
      actions.push(...state.trains.slice(0, deepest).map((t): PolicyAction => ({ kind: 'cancel-train', train: t.id })));
      state.trains.splice(0, deepest);
      train.state = 'landing';
      actions.push({ kind: 'land', train: train.id, numbers: [...train.members] });
    }
  }

  const red = state.trains.findIndex((t) => t.state !== 'landing' && verdictOf(t) === 'red');
  const train = state.trains[red];
  if (train !== undefined && state.trains.slice(0, red).every((t) => t.state === 'landing' || verdictOf(t) === 'green')) {
    const job = Object.entries(train.jobs).find(([, j]) => j.state === 'failure' && j.attempts >= 2)?.[0] ?? '';
    actions.push(...cancelFrom(state, red));
    state.window = Math.max(settings.minWindow, Math.floor(state.window / 2));
    const [number] = train.batch;
    if (number !== undefined && train.batch.length === 1) {
      state.queue = state.queue.filter((e) => e.number !== number);
      state.groups = state.groups.map((g) => g.filter((n) => n !== number)).filter((g) => g.length > 0);
      state.estimates.failure = ewma(state.estimates.failure, 1, settings.learningRate);
      actions.push({ kind: 'eject', number, job, train: train.id });
    } else {
      const half = Math.ceil(train.batch.length / 2);
      const split = new Set(train.batch);
      state.groups = [train.batch.slice(0, half), train.batch.slice(half), ...state.groups.map((g) => g.filter((n) => !split.has(n))).filter((g) => g.length > 0)];
    }
  }

  for (const train of state.trains) {
    if (train.state === 'landing' || verdictOf(train) === 'red') continue;
    for (const [job, run] of Object.entries(train.jobs)) {
      if (run.state !== 'failure' || run.attempts > 1) continue;
      run.state = 'pending';
      run.attempts = 2;
      actions.push({ kind: 'retry-job', train: train.id, job });
    }
  }

  actions.push(...buildTrains(state, settings, now, jobsFor));
  return { state, actions };
}

function buildTrains(state: PoolState, settings: PolicySettings, now: number, jobsFor: JobsFor): PolicyAction[] {
  const actions: PolicyAction[] = [];
  const limit = Math.min(state.window, settings.ciBudget);
  for (;;) {
    const riding = inTrains(state);
    const waiting = state.queue.filter((e) => !riding.has(e.number)).map((e) => e.number);
    if (waiting.length === 0 || state.trains.length >= limit) return actions;
    let batch: number[];
    const group = state.groups[0];
    if (group !== undefined) {
      batch = group.filter((n) => waiting.includes(n));
      state.groups.shift();
      if (batch.length === 0) continue;
    } else {
      // No bigger than the failure rate suggests, and no bigger than it takes to spread what waits over the
      // trains the window still allows: a short queue goes one PR per train, so a failure costs no split.
      const spread = Math.ceil(waiting.length / (limit - state.trains.length));
      batch = waiting.slice(0, Math.min(batchSize(state.estimates, settings), spread));
    }
    // Speculate only while the trains ahead are likely enough to pass for this one's result to count.
    const ahead = state.trains.filter((t) => t.state !== 'landing' && verdictOf(t) !== 'green');
    const allPass = ahead.reduce((p, t) => p * (1 - trainFailureChance(state.estimates, t.batch.length)), 1);
    if (ahead.length > 0 && allPass < settings.speculationThreshold) {
      if (group !== undefined) state.groups.unshift(group);
      return actions;
    }
    const parent = state.trains.at(-1);
    const members = [...(parent?.members ?? []), ...batch];
    const train: Train = {
      id: String(state.nextTrain++),
      parent: parent?.id,
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

/** A PR's place: 1-based position in the queue, and the train testing it if any. */
export function placeOf(state: PoolState, number: number): { position: number; train: string | undefined } | undefined {
  const index = state.queue.findIndex((e) => e.number === number);
  if (index < 0) return undefined;
  return { position: index + 1, train: state.trains.find((t) => t.batch.includes(number))?.id };
}
