import { describe, expect, it } from 'vitest';
import { entry, kinds, pool } from './testing/pool-driver.ts';

/** The chain alone: no screens, so only trains and their probes appear. */
const chain = { screenBatch: 0 };

describe('the merge queue policy', () => {
  it('orders by priority class, then by when each PR became mergeable, not by number', () => {
    const p = pool(chain);
    p.sync([entry(9, 100), entry(3, 300), entry(5, 200), entry(7, 400, 0)]);
    expect(p.queued()).toEqual([7, 9, 5, 3]);
  });

  it('builds cumulative trains of batches sized from the failure rate, within the window and the CI budget', () => {
    // failure 0.25 ⇒ batches of 2; budget 2 trains.
    const p = pool({ ...chain, ciBudget: 2 });
    p.sync([1, 2, 3, 4, 5, 6].map((n) => entry(n)));
    expect(kinds(p.step())).toEqual(['start 1:1,2', 'start 2:3,4']);
    expect(p.trains()).toEqual([
      { id: '1', batch: [1, 2], members: [1, 2] },
      { id: '2', batch: [3, 4], members: [1, 2, 3, 4] },
    ]);
  });

  it('lands the deepest green train with everything ahead of it, even while the train ahead still tests', () => {
    const p = pool({ ...chain, ciBudget: 2 });
    p.sync([1, 2, 3, 4].map((n) => entry(n)));
    p.step();
    expect(kinds(p.pass('2'))).toEqual(['cancel-train 1', 'land 2:1,2,3,4']);
    p.landed('2', 'base1');
    expect(p.state).toMatchObject({ baseSha: 'base1', queue: [], trains: [] });
  });

  it("retries a job that failed once and probes each PR of the batch with it on the parent's commit", () => {
    const p = pool({ ...chain, ciBudget: 2 });
    p.sync([1, 2, 3, 4].map((n) => entry(n)));
    p.step();
    expect(kinds(p.job('2', 'e2e', false))).toEqual(['retry-job 2/e2e', 'probe 3:3/e2e', 'probe 4:4/e2e']);
    expect(p.checks()).toEqual([
      { id: '3', batch: [3], members: [1, 2, 3], jobs: ['e2e'], check: { kind: 'probe', of: '2', job: 'e2e' } },
      { id: '4', batch: [4], members: [1, 2, 4], jobs: ['e2e'], check: { kind: 'probe', of: '2', job: 'e2e' } },
    ]);
    expect(p.state.checks?.map((c) => c.parent)).toEqual(['1', '1']);
  });

  it('counts a pass on the retry as a flake: the probes stop and the train lands', () => {
    const p = pool({ ...chain, ciBudget: 1 });
    p.sync([entry(1), entry(2)]);
    p.step();
    const flake0 = p.state.estimates.flake;
    p.job('1', 'e2e', false);
    p.job('1', 'unit', true);
    expect(kinds(p.job('1', 'e2e', true))).toEqual(['land 1:1,2', 'cancel-train 2', 'cancel-train 3']);
    expect(p.state.checks).toEqual([]);
    expect(p.state.estimates.flake).toBeGreaterThan(flake0);
  });

  it('once the retry fails too, ejects the PR whose probe failed and puts the rest of its batch first in the next train', () => {
    // failure 0.06 ⇒ batches of 4.
    const p = pool({ ...chain, ciBudget: 2, maxBatch: 4 }, 0.06);
    p.sync([1, 2, 3, 4, 5, 6, 7, 8].map((n) => entry(n)));
    expect(kinds(p.step())).toEqual(['start 1:1,2,3,4', 'start 2:5,6,7,8']);
    expect(kinds(p.job('1', 'unit', false))).toEqual(['retry-job 1/unit', 'probe 3:1/unit', 'probe 4:2/unit', 'probe 5:3/unit', 'probe 6:4/unit']);
    p.job('3', 'unit', true);
    p.job('4', 'unit', true);
    p.job('6', 'unit', true);
    // A probe failing alone proves nothing while the retry may still pass.
    expect(kinds(p.job('5', 'unit', false))).toEqual([]);
    // The ejection raised the failure estimate to 0.107: batches of 3 now.
    expect(kinds(p.job('1', 'unit', false))).toEqual(['cancel-train 1', 'cancel-train 2', 'eject 3 (unit)', 'start 7:1,2,4', 'start 8:5,6,7']);
    expect(p.queued()).toEqual([1, 2, 4, 5, 6, 7, 8]);
    expect(p.state.window).toBe(10);
  });

  it('runs again the probes that failed the same job together, and names only one that fails twice', () => {
    const p = pool({ ...chain, ciBudget: 1, maxBatch: 4 }, 0.06);
    p.sync([1, 2, 3, 4].map((n) => entry(n)));
    p.step();
    p.job('1', 'unit', false);
    p.pass('2', '5');
    p.job('3', 'unit', false);
    p.job('4', 'unit', false);
    expect(kinds(p.job('1', 'unit', false))).toEqual(['retry-job 3/unit', 'retry-job 4/unit']);
    p.job('3', 'unit', true);
    expect(kinds(p.job('4', 'unit', false))).toEqual(['cancel-train 1', 'eject 3 (unit)', 'start 6:1,2,4']);
  });

  it('splits the batch in halves when every probe passed: the failure takes several of its PRs together', () => {
    const p = pool({ ...chain, ciBudget: 2, maxBatch: 4 }, 0.06);
    p.sync([1, 2, 3, 4, 5, 6, 7, 8].map((n) => entry(n)));
    p.step();
    p.job('1', 'unit', false);
    p.pass('3', '4', '5', '6');
    expect(kinds(p.job('1', 'unit', false))).toEqual(['cancel-train 1', 'cancel-train 2', 'start 7:1,2', 'start 8:3,4']);
  });

  it('ejects a PR that failed a job twice alone in its train, without probes', () => {
    const p = pool({ ...chain, ciBudget: 1 }, 0.5);
    p.sync([entry(1), entry(2)]);
    expect(kinds(p.step())).toEqual(['start 1:1']);
    expect(kinds(p.job('1', 'e2e', false))).toEqual(['retry-job 1/e2e']);
    expect(kinds(p.job('1', 'e2e', false))).toEqual(['cancel-train 1', 'eject 1 (e2e)', 'start 2:2']);
  });

  it('stops the trains behind a red train at once and builds none past it, and blames it once the train ahead is green', () => {
    const p = pool({ ...chain, ciBudget: 3, eagerTrains: 3 });
    p.sync([1, 2, 3, 4, 5, 6].map((n) => entry(n)));
    expect(kinds(p.step())).toEqual(['start 1:1,2', 'start 2:3,4', 'start 3:5,6']);
    p.job('2', 'unit', false);
    p.job('4', 'unit', true);
    p.job('5', 'unit', false);
    // Train 3 holds train 2's commit, so it fails too; train 1 may still be the culprit.
    expect(kinds(p.job('2', 'unit', false))).toEqual(['cancel-train 3']);
    expect(kinds(p.pass('1'))).toEqual(['land 1:1,2', 'cancel-train 2', 'eject 4 (unit)', 'start 6:3', 'start 7:5,6']);
  });

  it('does not retry a job while a train ahead failed the same job, and retries it once that one passed it', () => {
    const p = pool({ ...chain, ciBudget: 2 });
    p.sync([1, 2, 3, 4].map((n) => entry(n)));
    p.step();
    p.job('1', 'e2e', false);
    expect(kinds(p.job('2', 'e2e', false))).toEqual([]);
    // Train 1's probes are moot now: its failure was a flake.
    expect(kinds(p.job('1', 'e2e', true))).toEqual(['retry-job 2/e2e', 'probe 5:3/e2e', 'probe 6:4/e2e', 'cancel-train 3', 'cancel-train 4']);
  });

  it('past the eager trains, starts a train only with a full batch, so PRs arriving meanwhile share its run', () => {
    const p = pool({ ...chain, ciBudget: 4, eagerTrains: 1 });
    p.sync([1, 2, 3].map((n) => entry(n)));
    expect(kinds(p.step())).toEqual(['start 1:1,2']);
    expect(kinds(p.sync([1, 2, 3, 4].map((n) => entry(n))))).toEqual([]);
    expect(kinds(p.step())).toEqual(['start 2:3,4']);
  });

  it('drops a PR whose head changed, with the trains that contain it, and keeps one whose own presubmit flaked', () => {
    const p = pool({ ...chain, ciBudget: 3, eagerTrains: 3 });
    p.sync([1, 2, 3, 4, 5, 6].map((n) => entry(n)));
    p.step();
    // 2's own presubmit failed (a flake): it rides on. 4 was pushed to: trains 2 and 3 go.
    const actions = p.sync([entry(1), entry(3), { ...entry(4, 50), headSha: 'new' }, entry(5), entry(6)], 'base0', [entry(2)]);
    expect(kinds(actions)).toEqual(['cancel-train 2', 'cancel-train 3']);
    expect(p.queued()).toEqual([1, 2, 3, 5, 6, 4]);
    expect(kinds(p.step())).toEqual(['start 4:3,5', 'start 5:6,4']);
  });

  it('rebuilds every train when the base moves under it', () => {
    const p = pool({ ...chain, ciBudget: 2 });
    p.sync([1, 2, 3].map((n) => entry(n)));
    p.step();
    expect(kinds(p.sync([1, 2, 3].map((n) => entry(n)), 'pushed-by-hand'))).toEqual(['cancel-train 1', 'cancel-train 2']);
    expect(kinds(p.step())).toEqual(['start 3:1,2', 'start 4:3']);
  });

  it('stops speculating when the trains ahead are unlikely to pass', () => {
    // failure 0.5 ⇒ batches of 1, and each train ahead passes half the time: 0.5 ≥ 0.3, 0.25 < 0.3.
    const p = pool({ ...chain, ciBudget: 10 }, 0.5);
    p.sync([1, 2, 3, 4].map((n) => entry(n)));
    expect(kinds(p.step())).toEqual(['start 1:1', 'start 2:2']);
  });
});
