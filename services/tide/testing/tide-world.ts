import { Registry } from 'prom-client';
import type { Redis } from 'ioredis';
import { createRedis, type RedisSettings } from '../../../lib/queue/redis.ts';
import { createRedisJobStore, finalStates, type JobStore, type ProwJob } from '../../../lib/jobs/index.ts';
import type { ProwConfig } from '../../../lib/config/index.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { startLandingWorld, type LandingWorld } from '../landing/testing/landing-world.ts';
import { PoolStore } from '../pool-store.ts';
import { StatusWriter } from '../status-writer.ts';
import { TideMetrics } from '../tide-metrics.ts';
import { tideLabels } from '../train-jobs.ts';
import type { PoolStepDeps } from '../pool-step.ts';

/** What a train job's run answers: pass, fail, or stay running. */
export type CiOutcome = 'success' | 'failure' | 'running';

/** Decides a run from its job and the commit it tests (`has` says whether a path exists there). */
export type CiRule = (job: ProwJob, has: (path: string) => Promise<boolean>) => CiOutcome | Promise<CiOutcome>;

/** A file `bad.txt` in the tested commit makes every job fail: how a test marks a bad PR. */
export const badFilesFail: CiRule = async (_job, has) => ((await has('bad.txt')) ? 'failure' : 'success');

/**
 * The landing world (emulator, real git, Tide's bot) plus what Tide's service uses: a Redis job store and pool
 * store on a prefix of their own, metrics, a status writer, and a CI that finishes train jobs by a rule over
 * the tested commit's files, through the job store as plank would.
 */
export interface TideWorld extends LandingWorld {
  /** The Redis prefix the world's stores use; a Tide service given it shares them. */
  redisSettings: RedisSettings;
  jobs: JobStore;
  store: PoolStore;
  metrics: TideMetrics;
  registry: Registry;
  statuses: StatusWriter;
  /** Deps for `stepPool` with `config` at time `now`. */
  deps(config: ProwConfig, now?: number): PoolStepDeps;
  /** Finishes every unfinished train job by `rule`; answers the jobs it finished. */
  runCi(rule?: CiRule): Promise<ProwJob[]>;
  /** Train jobs, oldest first. */
  trainJobs(): Promise<ProwJob[]>;
  /** The `tide` status on a commit, as GitHub shows it. */
  tideStatus(repo: string, sha: string): Promise<{ state: string; description: string } | undefined>;
}

export async function startTideWorld(): Promise<TideWorld> {
  const world = await startLandingWorld();
  const redisSettings = uniqueRedis('tide');
  const jobs = createRedisJobStore(redisSettings);
  const redis: Redis = createRedis(redisSettings, 'tide-test');
  const store = new PoolStore(redis, redisSettings);
  const registry = new Registry();
  const metrics = new TideMetrics(registry);
  const statuses = new StatusWriter(world.github, world.logs.logger, () => undefined);
  const hasAt = (job: ProwJob) => async (path: string): Promise<boolean> => {
    const refs = job.spec.refs;
    if (refs?.base_sha === undefined) return false;
    try {
      await world.alice.rest.repos.getContent({ owner: refs.org, repo: refs.repo, path, ref: refs.base_sha });
      return true;
    } catch (err) {
      if ((err as { status?: number }).status === 404) return false;
      throw err;
    }
  };
  const trainJobs = async (): Promise<ProwJob[]> => jobs.list({ labels: { [tideLabels.createdByTide]: 'true' } });
  return {
    ...world,
    redisSettings,
    jobs,
    store,
    metrics,
    registry,
    statuses,
    deps: (config, now = Date.now()) => ({
      github: world.github,
      jobs,
      builder: world.builder,
      store,
      config,
      log: world.logs.logger,
      metrics,
      now,
      apiLanding: { betweenMergesMs: 0, sleep: () => Promise.resolve() },
    }),
    async runCi(rule = badFilesFail) {
      const finished: ProwJob[] = [];
      for (const job of await trainJobs()) {
        if (finalStates.has(job.status.state)) continue;
        const outcome = await rule(job, hasAt(job));
        if (outcome === 'running') continue;
        const done = await jobs.update(job.metadata.name, (j) => ({ ...j, status: { ...j.status, state: outcome, completionTime: new Date().toISOString() } }));
        if (done !== undefined) finished.push(done);
      }
      return finished;
    },
    trainJobs,
    async tideStatus(repo, sha) {
      const { data } = await world.alice.rest.repos.getCombinedStatusForRef({ owner: 'acme', repo, ref: sha });
      const s = data.statuses.find((c) => c.context === 'tide');
      return s === undefined ? undefined : { state: s.state, description: s.description ?? '' };
    },
    async close() {
      await jobs.close();
      redis.disconnect();
      await dropPrefix(redisSettings);
      await world.close();
    },
  };
}
