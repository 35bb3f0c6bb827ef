// `npm run bench -- controller`: ProwJobs through plank, the Pod runner and client-node against the in-process
// Kubernetes API, with a fake kubelet finishing each Pod. Jobs are created `triggered` in the Redis JobStore
// first; the clock starts when plank starts.
import { argv } from 'node:process';
import type { ProwConfig } from '../lib/config/index.ts';
import { createRedisJobStore, finalStates, newProwJob, type ProwJob } from '../lib/jobs/index.ts';
import { createLogger } from '../lib/log.ts';
import { startPlank } from '../services/controller/plank/plank.ts';
import { createPodRunner } from '../services/controller/runner/pod-runner.ts';
import { startKubeApiServer } from '../test/kube/api-server.ts';
import { startFakeKubelet } from '../test/kube/kubelet.ts';
import { dropPrefix, uniqueRedis } from '../test/helpers/redis.ts';
import { printResult, printTable } from './report.ts';

const total = Number(argv[3] ?? 10_000);
const naiveTotal = Math.min(1_000, total);
const ns = 'test-pods';
const log = createLogger({ level: 'error', name: 'bench' });

interface Figures {
  jobs: number;
  startedPerS: number;
  allStartedS: number;
  allFinalS: number;
  cpuSPer1000: number;
}

async function run(count: number, concurrency: number): Promise<Figures> {
  const kube = await startKubeApiServer({ namespaces: [ns], historyLimit: count * 8 });
  const kubelet = startFakeKubelet(kube, { namespace: ns });
  const settings = uniqueRedis('bench-controller');
  const jobs = createRedisJobStore(settings);
  const batch = 500;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, (_, j) =>
        jobs.create(newProwJob({ type: 'periodic', agent: 'kubernetes', job: `bench-${String((i + j) % 50)}`, namespace: ns, pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['true'] }] } })),
      ),
    );
  }
  const runner = await createPodRunner({ kubeConfig: kube.kubeConfig(ns, { keepAlive: true }), log, namespace: ns, utilityImage: 'prow-ts:bench' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const plank = await startPlank({ jobs, runner, config: () => ({}) as ProwConfig, log, jobUrl: () => undefined, concurrency, resyncMs: 60_000 });
  let allStarted = 0;
  let allFinal: number;
  for (;;) {
    let started = 0;
    let final = 0;
    for (const job of plank.cache.all() as Iterable<ProwJob>) {
      if (job.status.state !== 'triggered') started++;
      if (finalStates.has(job.status.state)) final++;
    }
    const now = performance.now();
    if (allStarted === 0 && started >= count) allStarted = now - t0;
    if (final >= count) {
      allFinal = now - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const cpu = process.cpuUsage(cpu0);
  await plank.close();
  await runner.close();
  kubelet.stop();
  await kube.close();
  await jobs.close();
  await dropPrefix(settings);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return { jobs: count, startedPerS: count / (allStarted / 1000), allStartedS: allStarted / 1000, allFinalS: allFinal / 1000, cpuSPer1000: (cpuS / count) * 1000 };
}

const ours = await run(total, 50);
const naive = await run(naiveTotal, 1);
// Prow's published load for prow.k8s.io: about 10,000 jobs a day (prow-core reference); what plank must sustain.
const prowPerS = 10_000 / 86_400;
printTable(`controller: ${total.toLocaleString('en-US')} ProwJobs through plank, Pods via client-node (in-process API server and kubelet share the process and its CPU figure)`, [
  { measure: 'jobs', 'prow-ts plank (50 workers)': ours.jobs, 'one at a time (naive)': naive.jobs, "Prow's published load": '10,000 a day' },
  { measure: 'jobs started per second', 'prow-ts plank (50 workers)': ours.startedPerS, 'one at a time (naive)': naive.startedPerS, "Prow's published load": prowPerS },
  { measure: 'all started (s)', 'prow-ts plank (50 workers)': ours.allStartedS, 'one at a time (naive)': naive.allStartedS, "Prow's published load": '' },
  { measure: 'all final after their Pods finished (s)', 'prow-ts plank (50 workers)': ours.allFinalS, 'one at a time (naive)': naive.allFinalS, "Prow's published load": '' },
  { measure: 'CPU s per 1,000 jobs (whole process)', 'prow-ts plank (50 workers)': ours.cpuSPer1000, 'one at a time (naive)': naive.cpuSPer1000, "Prow's published load": '' },
]);
printResult('controller', { jobs: total, jobs_per_s: ours.startedPerS, all_final_s: ours.allFinalS, cpu_s_per_1000: ours.cpuSPer1000, naive_jobs_per_s: naive.startedPerS, prow_published_jobs_per_s: prowPerS });
