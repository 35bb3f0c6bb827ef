import { describe, expect, it } from 'vitest';
import { decide, jobFinished, landed, syncPulls, type Decision, type PolicyAction } from './decide.ts';
import { emptyPoolState, type PoolState, type QueueEntry } from './pool-state.ts';
import { defaultPolicySettings, type PolicySettings } from './settings.ts';

const jobsFor = (): string[] => ['unit', 'e2e'];
const entry = (number: number, since = number, priority = 1): QueueEntry => ({ number, headSha: `sha${String(number)}`, priority, since });

/** A pool driven step by step, keeping every action the policy asked for. */
function pool(settings: Partial<PolicySettings> = {}, failure = 0.25) {
  const opts = { ...defaultPolicySettings, ...settings };
  let state: PoolState = { ...emptyPoolState('base0', opts.maxWindow), estimates: { failure, flake: 0.02 } };
  const actions: PolicyAction[] = [];
  const take = (d: Decision): PolicyAction[] => {
    state = d.state;
    actions.push(...d.actions);
    return d.actions;
  };
  return {
    get state() {
      return state;
    },
    actions,
    sync: (eligible: QueueEntry[], base = state.baseSha, ownCiOnly: QueueEntry[] = []) => take(syncPulls(state, eligible, base, ownCiOnly)),
    step: () => take(decide(state, opts, 0, jobsFor)),
    job: (train: string, job: string, passed: boolean) => {
      state = jobFinished(state, opts, train, job, passed);
      return take(decide(state, opts, 0, jobsFor));
    },
    pass: (train: string) => {
      state = jobFinished(state, opts, train, 'unit', true);
      state = jobFinished(state, opts, train, 'e2e', true);
      return take(decide(state, opts, 0, jobsFor));
    },
    landed: (train: string, sha: string) => {
      state = landed(state, opts, train, sha);
      return take(decide(state, opts, 0, jobsFor));
    },
    trains: () => state.trains.map((t) => ({ id: t.id, batch: t.batch, members: t.members })),
  };
}

const kinds = (actions: PolicyAction[]): string[] =>
  actions.map((a) => (a.kind === 'start-train' ? `start ${a.train.id}:${a.train.batch.join(',')}` : a.kind === 'land' ? `land ${a.train}:${a.numbers.join(',')}` : a.kind === 'eject' ? `eject ${String(a.number)} (${a.job})` : `${a.kind} ${a.train}${a.kind === 'retry-job' ? `/${a.job}` : ''}`));

describe('the merge queue policy', () => {
  it('orders by priority class, then by when each PR became mergeable, not by number', () => {
    const p = pool();
    p.sync([entry(9, 100), entry(3, 300), entry(5, 200), entry(7, 400, 0)]);
    expect(p.state.queue.map((e) => e.number)).toEqual([7, 9, 5, 3]);
  });

  it('builds cumulative trains of batches sized from the failure rate, within the window and the CI budget', () => {
    // failure 0.25 ⇒ batches of 2; budget 2 trains.
    const p = pool({ ciBudget: 2 });
    p.sync([1, 2, 3, 4, 5, 6].map((n) => entry(n)));
    expect(kinds(p.step())).toEqual(['start 1:1,2', 'start 2:3,4']);
    expect(p.trains()).toEqual([
      { id: '1', batch: [1, 2], members: [1, 2] },
      { id: '2', batch: [3, 4], members: [1, 2, 3, 4] },
    ]);
  });

  it('lands the deepest green train with everything ahead of it, even while the train ahead still tests', () => {
    const p = pool({ ciBudget: 2 });
    p.sync([1, 2, 3, 4].map((n) => entry(n)));
    p.step();
    expect(kinds(p.pass('2'))).toEqual(['cancel-train 1', 'land 2:1,2,3,4']);
    p.landed('2', 'base1');
    expect(p.state).toMatchObject({ baseSha: 'base1', queue: [], trains: [] });
  });

  it('retries a job that failed once, and counts a pass on the retry as a flake', () => {
    const p = pool({ ciBudget: 1 });
    p.sync([entry(1), entry(2)]);
    p.step();
    const flake0 = p.state.estimates.flake;
    expect(kinds(p.job('1', 'e2e', false))).toEqual(['retry-job 1/e2e']);
    p.job('1', 'unit', true);
    expect(kinds(p.job('1', 'e2e', true))).toEqual(['land 1:1,2']);
    expect(p.state.estimates.flake).toBeGreaterThan(flake0);
  });

  it('splits a batch that fails for good, tests the halves, ejects the culprit naming the job, and lands the rest', () => {
    const p = pool({ ciBudget: 2, maxBatch: 4 }, 0.06);
    p.sync([1, 2, 3, 4, 5, 6, 7, 8].map((n) => entry(n)));
    expect(kinds(p.step())).toEqual(['start 1:1,2,3,4', 'start 2:5,6,7,8']);
    p.job('1', 'unit', false);
    // The failure repeats on the retry: train 1 is red, and so is train 2 behind it (it contains 1..4).
    expect(kinds(p.job('1', 'unit', false))).toEqual(['cancel-train 1', 'cancel-train 2', 'start 3:1,2', 'start 4:3,4']);
    expect(kinds(p.pass('3'))).toEqual(['land 3:1,2']);
    expect(kinds(p.landed('3', 'base1'))).toEqual(['start 5:5,6,7,8']);
    // 3,4 fails for good: split again into singles; 4 is the culprit.
    p.job('4', 'e2e', false);
    expect(kinds(p.job('4', 'e2e', false))).toEqual(['cancel-train 4', 'cancel-train 5', 'start 6:3', 'start 7:4']);
    p.pass('6');
    p.landed('6', 'base2');
    p.job('7', 'unit', true);
    p.job('7', 'e2e', false);
    expect(kinds(p.job('7', 'e2e', false))).toEqual(['cancel-train 7', 'cancel-train 8', 'eject 4 (e2e)', 'start 9:5,6', 'start 10:7,8']);
    expect(kinds(p.pass('10'))).toEqual(['cancel-train 9', 'land 10:5,6,7,8']);
  });

  it('spreads a short queue over the trains the window allows, one PR each, so a failure needs no split', () => {
    const p = pool({ ciBudget: 4, maxBatch: 4 }, 0.06);
    p.sync([1, 2, 3].map((n) => entry(n)));
    expect(kinds(p.step())).toEqual(['start 1:1', 'start 2:2', 'start 3:3']);
  });

  it('does not blame a red train while a train ahead of it is still testing', () => {
    const p = pool({ ciBudget: 2 });
    p.sync([1, 2, 3, 4].map((n) => entry(n)));
    p.step();
    p.job('2', 'unit', false);
    expect(kinds(p.job('2', 'unit', false))).toEqual([]);
    // Train 1 fails for good too: the failure was ahead all along.
    p.job('1', 'e2e', false);
    expect(kinds(p.job('1', 'e2e', false))).toEqual(['cancel-train 1', 'cancel-train 2', 'start 3:1', 'start 4:2']);
  });

  it('drops a PR whose head changed, with the trains that contain it, and keeps one whose own presubmit flaked', () => {
    const p = pool({ ciBudget: 3 });
    p.sync([1, 2, 3, 4, 5, 6].map((n) => entry(n)));
    p.step();
    // 2's own presubmit failed (a flake): it rides on. 4 was pushed to: trains 2 and 3 go.
    const actions = p.sync([entry(1), entry(3), { ...entry(4, 50), headSha: 'new' }, entry(5), entry(6)], 'base0', [entry(2)]);
    expect(kinds(actions)).toEqual(['cancel-train 2', 'cancel-train 3']);
    expect(p.state.queue.map((e) => e.number)).toEqual([1, 2, 3, 5, 6, 4]);
    expect(kinds(p.step())).toEqual(['start 4:3,5', 'start 5:6,4']);
  });

  it('rebuilds every train when the base moves under it', () => {
    const p = pool({ ciBudget: 2 });
    p.sync([1, 2, 3].map((n) => entry(n)));
    p.step();
    expect(kinds(p.sync([1, 2, 3].map((n) => entry(n)), 'pushed-by-hand'))).toEqual(['cancel-train 1', 'cancel-train 2']);
    expect(kinds(p.step())).toEqual(['start 3:1,2', 'start 4:3']);
  });

  it('stops speculating when the trains ahead are unlikely to pass', () => {
    // failure 0.5 ⇒ batches of 1, and each train ahead passes half the time: 0.5 ≥ 0.3, 0.25 < 0.3.
    const p = pool({ ciBudget: 10 }, 0.5);
    p.sync([1, 2, 3, 4].map((n) => entry(n)));
    expect(kinds(p.step())).toEqual(['start 1:1', 'start 2:2']);
  });
});
