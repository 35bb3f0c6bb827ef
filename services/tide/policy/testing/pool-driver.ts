import type { Decision, PolicyAction } from '../actions.ts';
import { decide, jobFinished, landed, syncPulls } from '../decide.ts';
import { emptyPoolState, type PoolState, type QueueEntry } from '../pool-state.ts';
import { defaultPolicySettings, type PolicySettings } from '../settings.ts';

/** Every commit's required jobs in these tests. */
export const jobsFor = (): string[] => ['unit', 'e2e'];

/** A queue entry for PR `number`, ready since `since`. */
export const entry = (number: number, since = number, priority = 1): QueueEntry => ({ number, headSha: `sha${String(number)}`, priority, since });

/** Actions as short strings: `start 3:1,2` (a train), `screen 4:5,6`, `probe 5:3/e2e`, `land 3:1,2`, ... */
export function kinds(actions: readonly PolicyAction[]): string[] {
  return actions.map((a) => {
    switch (a.kind) {
      case 'start-train': {
        const { id, batch, check } = a.train;
        if (check?.kind === 'probe') return `probe ${id}:${batch.join(',')}/${check.job}`;
        return `${check?.kind === 'screen' ? 'screen' : 'start'} ${id}:${batch.join(',')}`;
      }
      case 'land':
        return `land ${a.train}:${a.numbers.join(',')}`;
      case 'eject':
        return `eject ${String(a.number)} (${a.job})`;
      case 'retry-job':
        return `retry-job ${a.train}/${a.job}`;
      case 'cancel-train':
        return `cancel-train ${a.train}`;
    }
  });
}

/**
 * A pool driven step by step the way the tide service drives it: every report is followed by a decide, and
 * every action the policy asked for is kept. `failure` seeds the estimated rate of bad PRs.
 */
export function pool(settings: Partial<PolicySettings> = {}, failure = 0.25) {
  const opts: PolicySettings = { ...defaultPolicySettings, ...settings };
  let state: PoolState = { ...emptyPoolState('base0', opts.maxWindow), estimates: { failure, flake: 0.02 } };
  const actions: PolicyAction[] = [];
  const take = (d: Decision): PolicyAction[] => {
    state = d.state;
    actions.push(...d.actions);
    return d.actions;
  };
  const report = (train: string, job: string, passed: boolean): void => {
    state = jobFinished(state, opts, train, job, passed);
  };
  return {
    get state() {
      return state;
    },
    set state(next: PoolState) {
      state = next;
    },
    opts,
    actions,
    sync: (eligible: QueueEntry[], base = state.baseSha, ownCiOnly: QueueEntry[] = []) => take(syncPulls(state, eligible, base, ownCiOnly)),
    step: () => take(decide(state, opts, 0, jobsFor)),
    job: (train: string, job: string, passed: boolean) => {
      report(train, job, passed);
      return take(decide(state, opts, 0, jobsFor));
    },
    /** Every job still pending on these trains or checks passes, then one decide. */
    pass: (...trains: string[]) => {
      for (const id of trains) {
        const t = [...state.trains, ...(state.checks ?? [])].find((x) => x.id === id);
        for (const [job, run] of Object.entries(t?.jobs ?? {})) if (run.state === 'pending') report(id, job, true);
      }
      return take(decide(state, opts, 0, jobsFor));
    },
    landed: (train: string, sha: string) => {
      state = landed(state, opts, train, sha);
      return take(decide(state, opts, 0, jobsFor));
    },
    trains: () => state.trains.map((t) => ({ id: t.id, batch: t.batch, members: t.members })),
    checks: () => (state.checks ?? []).map((c) => ({ id: c.id, batch: c.batch, members: c.members, jobs: Object.keys(c.jobs), check: c.check })),
    queued: () => state.queue.map((e) => e.number),
    screened: () => state.queue.filter((e) => e.screened === true).map((e) => e.number),
  };
}
