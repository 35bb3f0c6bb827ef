import type { Decision, JobsFor, PolicyAction } from './actions.ts';
import { answerFirstFailures, buildTrains, landDeepestGreen, resolveRed } from './chain.ts';
import { buildScreens, dropMootChecks, probeScreenFailures, resolveScreens } from './checks.ts';
import { ewma } from './estimates.ts';
import { cancelFrom, inTrains } from './pool-ops.ts';
import { screenedPrior, type PoolState, type QueueEntry } from './pool-state.ts';
import type { PolicySettings } from './settings.ts';

export type { Decision, JobsFor, PolicyAction } from './actions.ts';
export { verdictOf } from './pool-ops.ts';

function byQueueOrder(a: QueueEntry, b: QueueEntry): number {
  return a.priority - b.priority || a.since - b.since || a.number - b.number;
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

/** Records one job's result on a train or a check; a result for one no longer live is ignored. */
export function jobFinished(current: PoolState, settings: PolicySettings, trainId: string, job: string, passed: boolean): PoolState {
  const state = structuredClone(current);
  const train = [...state.trains, ...(state.checks ?? [])].find((t) => t.id === trainId);
  const run = train?.jobs[job];
  if (train === undefined || run?.state !== 'pending') return current;
  run.state = passed ? 'success' : 'failure';
  // A pass on the first run says nothing of flakiness; a pass on the retry is one flake seen.
  if (passed && train.check === undefined) state.estimates.flake = ewma(state.estimates.flake, run.attempts > 1 ? 1 : 0, settings.learningRate);
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
  for (const entry of current.queue.filter((e) => merged.has(e.number))) {
    state.estimates.failure = ewma(state.estimates.failure, 0, settings.learningRate);
    if (entry.screened === true) state.estimates.screenedFailure = ewma(state.estimates.screenedFailure ?? screenedPrior, 0, settings.learningRate);
  }
  return state;
}

/** Landing failed (the base moved under us, or GitHub refused): every train is rebuilt on the next decide. */
export function landFailed(current: PoolState): Decision {
  const state = structuredClone(current);
  return { state, actions: cancelFrom(state, 0) };
}

/**
 * One step of the policy: land the deepest green train; blame a red train once everything ahead is green and
 * its probes answered (eject the PRs that failed alone, or split the batch); learn what finished screens say;
 * retry a job that failed once and probe its PRs; then fill the window with new trains on the tail of the
 * chain, and spend the CI the chain leaves idle on screening the PRs behind it.
 */
export function decide(current: PoolState, settings: PolicySettings, now: number, jobsFor: JobsFor): Decision {
  const state = structuredClone(current);
  const actions: PolicyAction[] = [
    ...landDeepestGreen(state),
    ...resolveRed(state, settings),
    ...probeScreenFailures(state, settings, now),
    ...resolveScreens(state, settings),
    ...answerFirstFailures(state, settings, now),
    ...buildTrains(state, settings, now, jobsFor),
  ];
  // After the chain took what it could: a screen of PRs it now tests itself is moot.
  actions.push(...dropMootChecks(state), ...buildScreens(state, settings, now, jobsFor));
  return { state, actions };
}

/** A PR's place: 1-based position in the queue, and the train testing it if any. */
export function placeOf(state: PoolState, number: number): { position: number; train: string | undefined } | undefined {
  const index = state.queue.findIndex((e) => e.number === number);
  if (index < 0) return undefined;
  return { position: index + 1, train: state.trains.find((t) => t.batch.includes(number))?.id };
}
