import { resolve } from 'node:path';
import { Counter, Gauge } from 'prom-client';
import { ConfigWatcher } from '../../lib/config/index.ts';
import { closeAll } from '../../lib/http/shutdown.ts';
import { createServer } from '../../lib/http/server.ts';
import { jobUrl, type ProwJob } from '../../lib/jobs/index.ts';
import { kubeConfigFor, openJobStore } from '../job-store.ts';
import type { RunningService, Service } from '../service.ts';
import { startCrier } from './crier/crier.ts';
import { createGitHubReporter } from './crier/github-reporter.ts';
import { createPodInfoReporter, createStorageReporter } from './crier/storage-reporter.ts';
import { startHorologium } from './horologium.ts';
import { startPlank } from './plank/plank.ts';
import { decoratedPlan, undecoratedPlan } from './runner/local-plan.ts';
import { createLocalRunner } from './runner/local-runner.ts';
import { createPodRunner } from './runner/pod-runner.ts';
import type { Runner } from './runner/runner.ts';
import { startSinker } from './sinker.ts';

/** The port of Prow's controller-manager health endpoint. */
const defaultPort = 8081;

/**
 * controller: Prow's prow-controller-manager, crier, horologium and sinker in one service. plank runs the
 * ProwJobs trigger, horologium and Tide create; crier reports them to GitHub and to storage; sinker removes
 * old jobs and runs. In local mode jobs run as
 * processes on this machine and upload to `STORAGE_LOCATION` (a directory by default).
 */
export const controller: Service = {
  name: 'controller',
  summary: 'runs ProwJobs (plank), reports them (crier), starts periodics (horologium), cleans up (sinker)',
  async start(ctx): Promise<RunningService> {
    const logger = ctx.logger;
    const watcher = await ConfigWatcher.start({ ...ctx.configPaths, logger });
    const config = () => watcher.current.config;
    const jobs = openJobStore(ctx, config());
    // Local mode uploads everything to one place; in a cluster each job uploads where its config says.
    const local = ctx.env.jobRunner === 'local';
    const storage = local ? (ctx.env.storageLocation ?? resolve('.prow', 'storage')) : ctx.env.storageLocation;
    const githubBaseUrl = ctx.github.emulated ? ctx.github.client.baseUrl : undefined;
    const runner: Runner = local
      ? await createLocalRunner({
          log: logger.child({ component: 'local-runner' }),
          plan: (job: ProwJob, dir: string) =>
            // Prow decorates a job whose `decorate` is true; its ProwJob then carries a decoration_config.
            job.spec.decoration_config !== undefined
              ? decoratedPlan(job, dir, { bucket: storage ?? '', ...(githubBaseUrl === undefined ? {} : { githubBaseUrl }) })
              : undecoratedPlan(job, dir),
        })
      : await createPodRunner({
          kubeConfig: kubeConfigFor(ctx),
          log: logger.child({ component: 'pod-runner' }),
          namespace: config().pod_namespace,
          utilityImage: ctx.env.prowImage,
          ...(storage === undefined ? {} : { bucket: storage }),
        });
    const app = createServer({ name: 'controller', logger, processMetrics: true });
    const transitions = new Counter({
      name: 'prow_controller_job_transitions_total',
      help: 'ProwJob state changes plank made, by from and to state.',
      labelNames: ['from', 'to'] as const,
      registers: [app.metrics],
    });
    const reports = new Counter({ name: 'prow_controller_reports_total', help: 'Reports crier made, by reporter.', labelNames: ['reporter'] as const, registers: [app.metrics] });
    const storageOptions = { log: logger, ...(storage === undefined ? {} : { bucket: storage }) };
    const storageReporter = createStorageReporter(storageOptions);
    const podInfoReporter = createPodInfoReporter({ ...storageOptions, runner });
    const parts: { name: string; close: () => Promise<void> }[] = [];
    try {
      const plank = await startPlank({
        jobs,
        runner,
        config,
        log: logger.child({ component: 'plank' }),
        jobUrl: (job) => jobUrl(job, config().plank ?? {}),
        onTransition: (from, to) => { transitions.inc({ from, to }); },
      });
      parts.push({ name: 'plank', close: () => plank.close() });
      new Gauge({
        name: 'prowjobs',
        help: 'ProwJobs plank knows, by type and state (Prow\'s metric).',
        labelNames: ['type', 'state'] as const,
        registers: [app.metrics],
        collect() {
          this.reset();
          for (const job of plank.cache.all()) this.inc({ type: job.spec.type, state: job.status.state });
        },
      });
      const crier = await startCrier({
        jobs,
        log: logger.child({ component: 'crier' }),
        reporters: [createGitHubReporter({ github: ctx.github.client, config, botLogin: ctx.github.botLogin, log: logger, jobs }), storageReporter, podInfoReporter],
        onReport: (reporter) => { reports.inc({ reporter }); },
      });
      parts.push({ name: 'crier', close: () => crier.close() });
      const horologium = await startHorologium({ jobs, config, log: logger.child({ component: 'horologium' }) });
      parts.push({ name: 'horologium', close: () => horologium.close() });
      const sinker = await startSinker({ jobs, runner, config, log: logger.child({ component: 'sinker' }) });
      parts.push({ name: 'sinker', close: () => sinker.close() });
      await app.listen({ port: ctx.env.controllerPort ?? defaultPort, host: '0.0.0.0' });
    } catch (err) {
      await closeAll([...parts.reverse(), { name: 'server', close: () => app.close() }], logger);
      await runner.close();
      await storageReporter.close();
      await podInfoReporter.close();
      await jobs.close();
      watcher.close();
      throw err;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : defaultPort;
    const url = `http://127.0.0.1:${String(port)}`;
    logger.info({ url, storage, runner: runner.kind }, 'controller running');
    return {
      name: 'controller',
      url,
      async close() {
        await closeAll(
          [
            { name: 'server', close: () => app.close() },
            ...parts.reverse(),
            { name: 'runner', close: () => runner.close() },
            { name: 'storage', close: () => storageReporter.close() },
            { name: 'podinfo', close: () => podInfoReporter.close() },
            { name: 'jobs', close: () => jobs.close() },
            {
              name: 'config',
              close: () => {
                watcher.close();
                return Promise.resolve();
              },
            },
          ],
          logger,
        );
      },
    };
  },
};

