import type { SimPolicy, SimPr, World } from './world.ts';

interface Entry {
  pr: SimPr;
  run: number | undefined;
  left: number;
  failed: boolean;
  green: boolean;
}

/**
 * A GitHub-merge-queue-like policy: first come first served; up to `concurrency` entries build at once, each
 * on the base plus every entry ahead of it; ALLGREEN: an entry lands (exactly as tested) once it and all
 * ahead passed; a failing entry (a flake too: no retries) is removed and the entries behind rebuild.
 */
export function githubMergeQueue(concurrency = 5): SimPolicy {
  let world: World;
  const queue: Entry[] = [];
  let landing = false;

  const build = (): void => {
    // A group being landed has left the queue but is not on the base yet: what builds now would miss it.
    if (landing) return;
    queue.slice(0, concurrency).forEach((entry, i) => {
      if (entry.run !== undefined) return;
      const prs = queue.slice(0, i + 1).map((e) => e.pr);
      entry.left = world.scenario.jobs;
      entry.failed = false;
      entry.green = false;
      const id = world.startRun(prs, world.allJobs(), (_job, passed) => {
        if (entry.run !== id) return;
        if (!passed) {
          entry.failed = true;
          fail(entry);
          return;
        }
        if (--entry.left === 0) {
          entry.green = true;
          land();
        }
      });
      entry.run = id;
    });
  };

  const fail = (entry: Entry): void => {
    const i = queue.indexOf(entry);
    if (i < 0) return;
    for (const behind of queue.slice(i)) {
      if (behind.run !== undefined) world.cancelRun(behind.run);
      behind.run = undefined;
    }
    queue.splice(i, 1);
    world.evict(entry.pr);
    build();
  };

  const land = (): void => {
    if (landing) return;
    let n = 0;
    while (n < queue.length && queue[n]?.green === true) n++;
    if (n === 0) return;
    const group = queue.splice(0, n);
    landing = true;
    world.land(
      group.map((e) => e.pr),
      'atomic',
      () => {
        landing = false;
        build();
        land();
      },
    );
  };

  return {
    name: 'GitHub-MQ-like (5 builds)',
    start(w) {
      world = w;
    },
    onReady(pr) {
      queue.push({ pr, run: undefined, left: 0, failed: false, green: false });
      build();
    },
  };
}
