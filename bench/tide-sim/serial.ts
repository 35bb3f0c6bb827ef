import type { SimPolicy, SimPr, World } from './world.ts';

/**
 * The naive baseline: one PR at a time, first come first served, tested on the current base and landed
 * exactly as tested; a failed job is retried once, a second failure ejects the PR.
 */
export function serialQueue(): SimPolicy {
  let world: World;
  const queue: SimPr[] = [];
  let busy = false;

  const next = (): void => {
    const pr = queue.shift();
    if (busy || pr === undefined) {
      if (pr) queue.unshift(pr);
      return;
    }
    busy = true;
    const failed = new Set<number>();
    let left = world.scenario.jobs;
    let retried = false;
    const done = (): void => {
      busy = false;
      next();
    };
    const onJob = (job: number, passed: boolean): void => {
      if (!passed) failed.add(job);
      if (--left > 0) return;
      if (failed.size === 0) {
        world.land([pr], 'atomic', done);
      } else if (!retried) {
        retried = true;
        const again = [...failed];
        failed.clear();
        left = again.length;
        world.startRun([pr], again, onJob);
      } else {
        world.evict(pr);
        done();
      }
    };
    world.startRun([pr], world.allJobs(), onJob);
  };

  return {
    name: 'serial queue',
    start(w) {
      world = w;
    },
    onReady(pr) {
      queue.push(pr);
      next();
    },
  };
}
