import { ewma } from './estimates.ts';
import type { PolicyAction } from './actions.ts';
import { screenedPrior, type PoolState, type QueueEntry, type Train, type TrainJob } from './pool-state.ts';
import type { PolicySettings } from './settings.ts';

/** Where a train stands: red once a job failed twice, green once every job passed. */
export function verdictOf(train: Train): 'testing' | 'green' | 'red' {
  const jobs = Object.values(train.jobs);
  if (jobs.some((j) => j.state === 'failure' && j.attempts >= 2)) return 'red';
  if (jobs.every((j) => j.state === 'success')) return 'green';
  return 'testing';
}

/** The job failed on this train and has not passed since (its retry may still run). */
export function failedOnce(run: TrainJob | undefined): boolean {
  return run !== undefined && (run.state === 'failure' || (run.attempts > 1 && run.state === 'pending'));
}

/** The live checks, created on first use (a state written before checks existed has none). */
export function checksOf(state: PoolState): Train[] {
  state.checks ??= [];
  return state.checks;
}

/** Cancels trains[from..]; returns the cancel actions. */
export function cancelFrom(state: PoolState, from: number): PolicyAction[] {
  const gone = state.trains.splice(from);
  return gone.map((t) => ({ kind: 'cancel-train', train: t.id }));
}

/** Drops the checks `drop` selects; returns cancel actions for those still running. */
export function cancelChecks(state: PoolState, drop: (check: Train) => boolean): PolicyAction[] {
  const checks = checksOf(state);
  const gone = checks.filter(drop);
  state.checks = checks.filter((c) => !drop(c));
  return gone.filter((c) => Object.values(c.jobs).some((j) => j.state === 'pending')).map((c) => ({ kind: 'cancel-train', train: c.id }));
}

/** PRs in some train's commit (a train's members include everything ahead of it). */
export function inTrains(state: PoolState): Set<number> {
  return new Set(state.trains.flatMap((t) => t.members));
}

/** The queue entry of PR `number`, if it is still queued. */
export function entryOf(state: PoolState, number: number): QueueEntry | undefined {
  return state.queue.find((e) => e.number === number);
}

/** Takes PR `number` out of the queue and out of the split groups. */
export function dequeue(state: PoolState, number: number): void {
  state.queue = state.queue.filter((e) => e.number !== number);
  state.groups = state.groups.map((g) => g.filter((n) => n !== number)).filter((g) => g.length > 0);
}

/**
 * Ejects PR `number`, which failed `job` on its own in `train` (a train or a check): the trains that contain
 * it go with those behind, and the rates learn that a PR (a screened one, if it was) was bad. A PR already
 * in a landing train stays: that train passed every job with it.
 */
export function eject(state: PoolState, settings: PolicySettings, number: number, job: string, train: string): PolicyAction[] {
  const entry = entryOf(state, number);
  if (entry === undefined) return [];
  const first = state.trains.findIndex((t) => t.members.includes(number));
  if (state.trains[first]?.state === 'landing') return [];
  const actions = first >= 0 ? cancelFrom(state, first) : [];
  dequeue(state, number);
  state.estimates.failure = ewma(state.estimates.failure, 1, settings.learningRate);
  if (entry.screened === true) state.estimates.screenedFailure = ewma(state.estimates.screenedFailure ?? screenedPrior, 1, settings.learningRate);
  actions.push({ kind: 'eject', number, job, train });
  return actions;
}
