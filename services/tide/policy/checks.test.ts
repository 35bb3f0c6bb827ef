import { describe, expect, it } from 'vitest';
import { entry, kinds, pool } from './testing/pool-driver.ts';

const prs = (n: number) => Array.from({ length: n }, (_, i) => entry(i + 1));

describe('screens and probes', () => {
  it('screens a full batch of the PRs the chain has not reached, on the base, with the CI the chain leaves idle', () => {
    // failure 0.25 ⇒ batches of 2, and a third train ahead would leave too little chance for a fourth.
    const p = pool({ ciBudget: 4, screenBatch: 3, eagerTrains: 1 });
    p.sync(prs(9));
    expect(kinds(p.step())).toEqual(['start 1:1,2', 'start 2:3,4', 'start 3:5,6', 'screen 4:7,8,9']);
    expect(p.checks()).toEqual([{ id: '4', batch: [7, 8, 9], members: [7, 8, 9], jobs: ['unit', 'e2e'], check: { kind: 'screen' } }]);
    expect(p.state.checks?.[0]?.parent).toBeUndefined();
  });

  it('screens no partial batch: the chain will take a short wait itself', () => {
    const p = pool({ ciBudget: 4, screenBatch: 3, eagerTrains: 1 });
    p.sync(prs(8));
    expect(kinds(p.step())).toEqual(['start 1:1,2', 'start 2:3,4', 'start 3:5,6']);
  });

  it('leaves no CI to screens that the chain holds', () => {
    const p = pool({ ciBudget: 3, screenBatch: 3, eagerTrains: 1 });
    p.sync(prs(9));
    expect(kinds(p.step())).toEqual(['start 1:1,2', 'start 2:3,4', 'start 3:5,6']);
  });

  it('marks the PRs of a screen that passed as screened, and the chain takes screened PRs in bigger batches', () => {
    const p = pool({ ciBudget: 4, screenBatch: 3, eagerTrains: 1 });
    p.sync(prs(9));
    p.step();
    expect(kinds(p.pass('4'))).toEqual([]);
    expect(p.screened()).toEqual([7, 8, 9]);
    // Unscreened PRs would go two by two at this failure rate (0.18); screened ones go together, on top of
    // the train being landed.
    expect(kinds(p.pass('3'))).toEqual(['cancel-train 1', 'cancel-train 2', 'land 3:1,2,3,4,5,6', 'start 5:7,8,9']);
  });

  it("probes a screen's failed job on each of its PRs on the base, ejects the one that fails it alone, and marks the others screened", () => {
    // failure 0.5 ⇒ trains of one PR, two of them.
    const p = pool({ ciBudget: 3, screenBatch: 3, eagerTrains: 1 }, 0.5);
    p.sync(prs(5));
    expect(kinds(p.step())).toEqual(['start 1:1', 'start 2:2', 'screen 3:3,4,5']);
    expect(kinds(p.job('3', 'e2e', false))).toEqual(['probe 4:3/e2e', 'probe 5:4/e2e', 'probe 6:5/e2e']);
    expect(p.state.checks?.filter((c) => c.check?.kind === 'probe').map((c) => c.members)).toEqual([[3], [4], [5]]);
    p.pass('3', '4', '6');
    expect(kinds(p.job('5', 'e2e', false))).toEqual(['eject 4 (e2e)']);
    expect(p.queued()).toEqual([1, 2, 3, 5]);
    expect(p.screened()).toEqual([3, 5]);
    expect(p.state.checks).toEqual([]);
  });

  it('runs again the probes of a screen that failed the same job together, and clears a PR whose retry passes', () => {
    const p = pool({ ciBudget: 3, screenBatch: 3, eagerTrains: 1 }, 0.5);
    p.sync(prs(5));
    p.step();
    p.job('3', 'e2e', false);
    p.pass('3', '6');
    p.job('4', 'e2e', false);
    expect(kinds(p.job('5', 'e2e', false))).toEqual(['retry-job 4/e2e', 'retry-job 5/e2e']);
    p.job('4', 'e2e', true);
    expect(kinds(p.job('5', 'e2e', false))).toEqual(['eject 4 (e2e)']);
    expect(p.screened()).toEqual([3, 5]);
  });

  it('probes a screen whose last job to finish is the one that failed', () => {
    const p = pool({ ciBudget: 3, screenBatch: 3, eagerTrains: 1 }, 0.5);
    p.sync(prs(5));
    p.step();
    p.job('3', 'unit', true);
    expect(kinds(p.job('3', 'e2e', false))).toEqual(['probe 4:3/e2e', 'probe 5:4/e2e', 'probe 6:5/e2e']);
  });

  it('screens nothing without probes, which a failed screen needs to name its culprit', () => {
    const p = pool({ ciBudget: 3, screenBatch: 3, eagerTrains: 1, probes: false }, 0.5);
    p.sync(prs(5));
    expect(kinds(p.step())).toEqual(['start 1:1', 'start 2:2']);
  });

  it('drops a screen once the chain took all its PRs, since the chain tests them anyway', () => {
    const p = pool({ ciBudget: 4, screenBatch: 2, eagerTrains: 1 });
    p.sync(prs(8));
    expect(kinds(p.step())).toEqual(['start 1:1,2', 'start 2:3,4', 'start 3:5,6', 'screen 4:7,8']);
    expect(kinds(p.pass('3'))).toEqual(['cancel-train 1', 'cancel-train 2', 'land 3:1,2,3,4,5,6', 'start 5:7,8', 'cancel-train 4']);
  });

  it('drops the probes of a train that is gone', () => {
    const p = pool({ ciBudget: 2 });
    p.sync(prs(4));
    p.step();
    p.job('2', 'e2e', false);
    p.sync(prs(4), 'pushed-by-hand');
    expect(kinds(p.step())).toEqual(['start 5:1,2', 'start 6:3,4', 'cancel-train 3', 'cancel-train 4']);
  });

  it('probes only the PRs of a batch that are not screened, and only retries a batch of screened PRs', () => {
    const p = pool({ ciBudget: 2, screenBatch: 0, maxBatch: 3 });
    p.sync(prs(6));
    p.state = { ...p.state, queue: p.state.queue.map((e) => ({ ...e, screened: e.number !== 6 })) };
    expect(kinds(p.step())).toEqual(['start 1:1,2,3', 'start 2:4,5,6']);
    expect(kinds(p.job('1', 'unit', false))).toEqual(['retry-job 1/unit']);
    expect(kinds(p.job('2', 'e2e', false))).toEqual(['retry-job 2/e2e', 'probe 3:6/e2e']);
  });

  it('learns from trains how often a screened PR still breaks one, apart from the untested rate', () => {
    const p = pool({ ciBudget: 1, screenBatch: 0, maxBatch: 2 });
    p.sync(prs(3));
    p.state = { ...p.state, queue: p.state.queue.map((e) => ({ ...e, screened: true })) };
    p.step();
    p.job('1', 'unit', false);
    const before = p.state.estimates;
    expect(before.screenedFailure).toBeUndefined();
    p.job('1', 'unit', false);
    // Screened PRs are not probed, so the red batch splits in halves, and its first half fails alone.
    expect(kinds(p.job('2', 'unit', false))).toEqual(['retry-job 2/unit']);
    p.job('2', 'unit', false);
    expect(p.state.estimates.screenedFailure).toBeGreaterThan(0.01);
    expect(p.state.estimates.failure).toBeGreaterThan(before.failure);
    const raised = p.state.estimates.screenedFailure ?? 0;
    p.pass('3');
    p.landed('3', 'base1');
    expect(p.state.estimates.screenedFailure).toBeLessThan(raised);
  });

  it("does not count a check's results towards the flake rate", () => {
    const p = pool({ ciBudget: 2, screenBatch: 0 });
    p.sync(prs(4));
    p.step();
    p.job('2', 'e2e', false);
    const flake = p.state.estimates.flake;
    p.job('3', 'e2e', true);
    expect(p.state.estimates.flake).toBe(flake);
  });
});
