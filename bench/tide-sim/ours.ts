import { decide, emptyPoolState, jobFinished, landed, syncPulls, type PolicyAction, type PolicySettings, type PoolState } from '../../services/tide/policy/index.ts';
import { defaultPolicySettings } from '../../services/tide/policy/settings.ts';
import type { SimPolicy, SimPr, World } from './world.ts';

/**
 * prow-ts's queue: the policy code of services/tide/policy, driven by the simulated world the way the tide
 * service drives it (webhook-speed reactions, fast-forward landing of the tested commit).
 */
export function prowTsQueue(settings: Partial<PolicySettings> = {}): SimPolicy {
  let world: World;
  const opts: PolicySettings = { ...defaultPolicySettings, ...settings };
  let state: PoolState;
  const prs = new Map<number, SimPr>();
  const since = new Map<number, number>();
  const runs = new Map<string, number[]>();
  let landedCount = 0;

  const jobName = (j: number): string => `job-${String(j)}`;
  const jobNumber = (name: string): number => Number(name.slice('job-'.length));
  const jobsFor = (): string[] => world.allJobs().map(jobName);
  const pullsOf = (numbers: readonly number[]): SimPr[] => numbers.map((n) => prs.get(n)).filter((p): p is SimPr => p !== undefined);

  const onJob = (train: string) => (job: number, passed: boolean) => {
    state = jobFinished(state, opts, train, jobName(job), passed);
    step();
  };

  const execute = (actions: readonly PolicyAction[]): void => {
    for (const action of actions) {
      switch (action.kind) {
        case 'start-train': {
          // Trains run every job; a probe runs the one job it asks about.
          const jobs = Object.keys(action.train.jobs).map(jobNumber);
          runs.set(action.train.id, [world.startRun(pullsOf(action.train.members), jobs, onJob(action.train.id))]);
          break;
        }
        case 'retry-job': {
          const job = jobNumber(action.job);
          const train = [...state.trains, ...(state.checks ?? [])].find((t) => t.id === action.train);
          if (train) runs.get(action.train)?.push(world.startRun(pullsOf(train.members), [job], onJob(action.train)));
          break;
        }
        case 'cancel-train':
          for (const id of runs.get(action.train) ?? []) world.cancelRun(id);
          runs.delete(action.train);
          break;
        case 'land': {
          const members = pullsOf(action.numbers);
          world.land(members, 'atomic', () => {
            landedCount++;
            for (const pr of members) prs.delete(pr.id);
            state = landed(state, opts, action.train, `base-${String(landedCount)}`);
            step();
          });
          break;
        }
        case 'eject': {
          const pr = prs.get(action.number);
          prs.delete(action.number);
          if (pr) world.evict(pr);
          break;
        }
      }
    }
  };

  const step = (): void => {
    const d = decide(state, opts, world.now, jobsFor);
    state = d.state;
    execute(d.actions);
  };

  return {
    name: 'prow-ts queue',
    start(w) {
      world = w;
      // As the tide service opens a pool it has not seen: the window at its floor.
      state = emptyPoolState('base-0', opts.minWindow);
      opts.ciBudget = w.scenario.capacity;
    },
    onReady(pr) {
      prs.set(pr.id, pr);
      since.set(pr.id, world.now);
      const eligible = [...prs.values()].map((p) => ({ number: p.id, headSha: `h${String(p.id)}`, priority: 0, since: since.get(p.id) ?? p.readyAt }));
      const d = syncPulls(state, eligible, state.baseSha);
      state = d.state;
      execute(d.actions);
      step();
    },
  };
}
