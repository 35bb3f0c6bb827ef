import type { Job, WorkerOptions } from 'bullmq';
import type { Registry } from 'prom-client';
import type { GitHubClient } from '../../../lib/github/github-client.ts';
import type { JobStore } from '../../../lib/jobs/job-store.ts';
import { createRedisJobStore } from '../../../lib/jobs/redis-job-store.ts';
import type { Logger } from '../../../lib/log.ts';
import { createQueue, createWorker } from '../../../lib/queue/bullmq.ts';
import { queueNames } from '../../../lib/queue/names.ts';
import { createRedis, type RedisSettings } from '../../../lib/queue/redis.ts';
import { plugins as allPlugins } from '../../../plugins/index.ts';
import type { ConfigSnapshotView, Plugin } from '../../../plugins/plugin.ts';
import type { EventJob } from '../event-job.ts';
import { DeliveryLedger } from './delivery-ledger.ts';
import type { ExternalDeliverySettings } from './external-plugins.ts';
import { handleDelivery, type DeliveryResult } from './handle-delivery.ts';
import { workerMetrics } from './worker-metrics.ts';

/** What hook's service wiring gives the workers. */
export interface EventWorkerOptions {
  redis: RedisSettings;
  github: GitHubClient;
  logger: Logger;
  /** The live configuration; read once per delivery, so a delivery never sees half of a reload. */
  config: () => ConfigSnapshotView;
  metrics: Registry;
  botLogin: string;
  /** Where plugins create ProwJobs; without one, the workers open a Redis job store of their own on `redis` and close it with them. */
  jobs?: JobStore | undefined;
  /** Deliveries handled at once by this process; 10 by default. */
  concurrency?: number | undefined;
  /** The plugin table; plugins/index.ts by default. */
  plugins?: readonly Plugin[] | undefined;
  /** A plugin step still running after this long fails (and is retried); 5 minutes by default. */
  stepTimeoutMs?: number | undefined;
  external?: ExternalDeliverySettings | undefined;
  /** BullMQ's lock and stall detection, which decide how soon a job of a crashed worker runs again. */
  worker?: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'> | undefined;
}

/** Running workers; `close()` lets in-flight deliveries finish first. */
export interface EventWorkers {
  close(): Promise<void>;
}

/**
 * Starts a BullMQ worker on the `events` queue that runs, for each delivery, every plugin enabled for its
 * repository and every matching external plugin, each isolated from the others; failures retry only what
 * did not complete (see handleDelivery).
 *
 * @example
 * const workers = await startEventWorkers({ redis, github, logger, config: () => watcher.current, metrics, botLogin });
 * await workers.close();
 */
export async function startEventWorkers(opts: EventWorkerOptions): Promise<EventWorkers> {
  const logger = opts.logger.child({ component: 'hook-worker' });
  const redis = createRedis(opts.redis);
  redis.on('error', (err) => {
    logger.warn({ err }, 'Redis connection of the delivery ledger failed');
  });
  const ledger = new DeliveryLedger(redis, opts.redis.prefix);
  const queue = createQueue<EventJob>(opts.redis, queueNames.events);
  queue.on('error', (err) => {
    logger.warn({ err }, 'events queue connection failed');
  });
  const jobs = opts.jobs ?? createRedisJobStore(opts.redis);
  const ownsJobs = opts.jobs === undefined;
  const metrics = workerMetrics(opts.metrics);
  const warned = new Set<string>();
  const deps = {
    plugins: opts.plugins ?? allPlugins,
    config: opts.config,
    botLogin: opts.botLogin,
    logger,
    github: (org: string, repo: string) => opts.github.forRepo(org, repo),
    jobs,
    unknownPlugin(name: string, fullName: string) {
      if (warned.has(name)) return;
      warned.add(name);
      logger.error({ plugin: name, repo: fullName }, `plugins.yaml enables "${name}" for ${fullName}, but prow-ts has no plugin of that name: it is skipped. Fix plugins.yaml.`);
    },
    external: opts.external,
    ledger,
    metrics,
    queue,
    stepTimeoutMs: opts.stepTimeoutMs,
  };
  const worker = createWorker<EventJob>(opts.redis, queueNames.events, (job) => handleDelivery(job, deps), {
    concurrency: opts.concurrency ?? 10,
    ...opts.worker,
  });
  worker.on('error', (err) => {
    logger.error({ err }, 'events worker error');
  });
  worker.on('failed', (job, err) => {
    if (job === undefined) return;
    const final = (job.finishedOn ?? 0) > 0;
    logger[final ? 'error' : 'warn'](
      { delivery: job.data.delivery, event: job.name, attemptsMade: job.attemptsMade, final },
      final ? `delivery failed for good, kept in the failed set: ${err.message}` : `delivery will be retried: ${err.message}`,
    );
  });
  worker.on('completed', (job: Job<EventJob>, result: DeliveryResult) => {
    const { delivery } = job.data;
    logger.debug({ delivery, ran: result.ran, skipped: result.skipped }, 'delivery handled');
    // After BullMQ recorded the completion: a crash before this point re-runs nothing already done.
    ledger.forget(delivery).catch((err: unknown) => {
      logger.warn({ err, delivery }, 'could not forget a completed delivery; its ledger expires on its own');
    });
  });
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        await worker.close();
        await queue.close();
        if (ownsJobs) await jobs.close();
        await redis.quit().catch(() => undefined);
      })();
      return closing;
    },
  };
}
