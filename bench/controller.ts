// `npm run bench -- controller`: ProwJobs through plank, the Pod runner and client-node against the in-process
// Kubernetes API, with a fake kubelet finishing each Pod. The API server and kubelet run in a child process,
// so the controller's CPU figure is its own. Jobs are created `triggered` in the Redis JobStore first; the
// clock starts when plank starts.
import type { ChildProcess } from 'node:child_process';
import { argv } from 'node:process';
import { fileURLToPath } from 'node:url';
import type { ProwConfig } from '../lib/config/index.ts';
import { createRedisJobStore, finalStates, newProwJob, type JobStore, type ProwJob } from '../lib/jobs/index.ts';
import { createLogger } from '../lib/log.ts';
import { startPlank } from '../services/controller/plank/plank.ts';
import { createPodRunner } from '../services/controller/runner/pod-runner.ts';
import { KeepAliveKubeConfig, startKubeApiServer, testKubeConfig } from '../test/kube/api-server.ts';
import { startFakeKubelet } from '../test/kube/kubelet.ts';
import { dropPrefix, uniqueRedis } from '../test/helpers/redis.ts';
import { startChildServer, stopChild } from './child-server.ts';
import { printResult, printTable } from './report.ts';

const ns = 'test-pods';
const log = createLogger({ level: 'error', name: 'bench' });

/** The child: the API server and kubelet. `READY <url>#<token>`; SIGUSR2 prints `CPU <seconds so far>`. */
async function serveCluster(): Promise<void> {
  const kube = await startKubeApiServer({ namespaces: [ns], historyLimit: Number(process.env.CONTROLLER_BENCH_HISTORY ?? 100_000) });
  const outcome = process.env.CONTROLLER_BENCH_OUTCOME === 'run-forever' ? 'run-forever' : 'complete';
  const kubelet = startFakeKubelet(kube, { namespace: ns, behaviour: () => ({ outcome }) });
  process.on('SIGUSR2', () => {
    const { user, system } = process.cpuUsage();
    console.log(`CPU ${String((user + system) / 1e6)}`);
  });
  process.once('SIGTERM', () => {
    kubelet.stop();
    void kube.close().then(() => process.exit(0));
  });
  console.log(`READY ${kube.url}#${kube.token}`);
}

/** The child's CPU seconds so far. */
function childCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /CPU (\S+)\n/.exec(out);
      if (m?.[1] === undefined) return;
      child.stdout?.off('data', onData);
      resolve(Number(m[1]));
    };
    child.stdout?.on('data', onData);
    child.kill('SIGUSR2');
  });
}

interface Figures {
  jobs: number;
  startedPerS: number;
  allStartedS: number;
  allFinalS: number;
  cpuSPer1000: number;
  cores: number;
  clusterCpuSPer1000: number;
}

async function run(count: number, concurrency: number): Promise<Figures> {
  const { child, ready } = await startChildServer(fileURLToPath(import.meta.url), { CONTROLLER_BENCH_ROLE: 'cluster', CONTROLLER_BENCH_HISTORY: String(count * 8) }, 'API server');
  const [url = '', token = ''] = ready.split('#');
  const kubeConfig = testKubeConfig(url, token, ns, { keepAlive: true });
  const settings = uniqueRedis('bench-controller');
  const jobs = createRedisJobStore(settings);
  await createJobs(jobs, count);
  const runner = await createPodRunner({ kubeConfig, log, namespace: ns, utilityImage: 'prow-ts:bench' });
  const clusterCpu0 = await childCpu(child);
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
  const clusterCpuS = (await childCpu(child)) - clusterCpu0;
  await plank.close();
  await runner.close();
  if (kubeConfig instanceof KeepAliveKubeConfig) kubeConfig.destroy();
  await stopChild(child);
  await jobs.close();
  await dropPrefix(settings);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return {
    jobs: count,
    startedPerS: count / (allStarted / 1000),
    allStartedS: allStarted / 1000,
    allFinalS: allFinal / 1000,
    cpuSPer1000: (cpuS / count) * 1000,
    cores: cpuS / (allFinal / 1000),
    clusterCpuSPer1000: (clusterCpuS / count) * 1000,
  };
}

/**
 * 10,000 live jobs: Pods that run until deleted; once all run, the controller's CPU over `holdS` seconds
 * in which plank resyncs every job every 5 s (Prow's plank resyncs every 30 min by default).
 */
async function hold(count: number, holdS: number): Promise<{ cores: number; resyncs: number }> {
  const { child, ready } = await startChildServer(fileURLToPath(import.meta.url), { CONTROLLER_BENCH_ROLE: 'cluster', CONTROLLER_BENCH_HISTORY: String(count * 8), CONTROLLER_BENCH_OUTCOME: 'run-forever' }, 'API server');
  const [url = '', token = ''] = ready.split('#');
  const kubeConfig = testKubeConfig(url, token, ns, { keepAlive: true });
  const settings = uniqueRedis('bench-controller-hold');
  const jobs = createRedisJobStore(settings);
  await createJobs(jobs, count);
  const runner = await createPodRunner({ kubeConfig, log, namespace: ns, utilityImage: 'prow-ts:bench' });
  const resyncMs = 5_000;
  const plank = await startPlank({ jobs, runner, config: () => ({}) as ProwConfig, log, jobUrl: () => undefined, concurrency: 50, resyncMs });
  for (;;) {
    let running = 0;
    for (const job of plank.cache.all() as Iterable<ProwJob>) if ((await runner.phase(job.metadata.name))?.phase === 'running') running++;
    if (running >= count) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await plank.idle();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, holdS * 1000));
  const cpu = process.cpuUsage(cpu0);
  await plank.close();
  await runner.close();
  if (kubeConfig instanceof KeepAliveKubeConfig) kubeConfig.destroy();
  await stopChild(child);
  await jobs.close();
  await dropPrefix(settings);
  return { cores: (cpu.user + cpu.system) / 1e6 / holdS, resyncs: Math.floor((holdS * 1000) / resyncMs) };
}

async function createJobs(jobs: JobStore, count: number): Promise<void> {
  const batch = 500;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, (_, j) =>
        jobs.create(newProwJob({ type: 'periodic', agent: 'kubernetes', job: `bench-${String((i + j) % 50)}`, namespace: ns, pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['true'] }] } })),
      ),
    );
  }
}

if (process.env.CONTROLLER_BENCH_ROLE === 'cluster') {
  await serveCluster();
} else {
  await main(Number(argv[3] ?? 10_000));
}

async function main(total: number): Promise<void> {
const naiveTotal = Math.min(1_000, total);
const ours = await run(total, 50);
const live = await hold(total, 15);
const naive = await run(naiveTotal, 1);
// Prow's published load for prow.k8s.io: about 10,000 jobs a day (prow-core reference); what plank must sustain.
const prowPerS = 10_000 / 86_400;
printTable(`controller: ${total.toLocaleString('en-US')} ProwJobs through plank, Pods via client-node (API server and kubelet in a child process)`, [
  { measure: 'jobs', 'prow-ts plank (50 workers)': ours.jobs, 'one at a time (naive)': naive.jobs, "Prow's published load": '10,000 a day' },
  { measure: 'jobs started per second', 'prow-ts plank (50 workers)': ours.startedPerS, 'one at a time (naive)': naive.startedPerS, "Prow's published load": prowPerS },
  { measure: 'all started (s)', 'prow-ts plank (50 workers)': ours.allStartedS, 'one at a time (naive)': naive.allStartedS, "Prow's published load": '' },
  { measure: 'all final after their Pods finished (s)', 'prow-ts plank (50 workers)': ours.allFinalS, 'one at a time (naive)': naive.allFinalS, "Prow's published load": '' },
  { measure: 'controller CPU s per 1,000 jobs', 'prow-ts plank (50 workers)': ours.cpuSPer1000, 'one at a time (naive)': naive.cpuSPer1000, "Prow's published load": '' },
  { measure: 'controller cores used (CPU s / wall s)', 'prow-ts plank (50 workers)': ours.cores, 'one at a time (naive)': naive.cores, "Prow's published load": '' },
  { measure: `controller cores holding ${total.toLocaleString('en-US')} running jobs (resync every 5 s)`, 'prow-ts plank (50 workers)': live.cores, 'one at a time (naive)': '', "Prow's published load": '' },
  { measure: 'API server + kubelet CPU s per 1,000 jobs', 'prow-ts plank (50 workers)': ours.clusterCpuSPer1000, 'one at a time (naive)': naive.clusterCpuSPer1000, "Prow's published load": '' },
]);
printResult('controller', { jobs: total, jobs_per_s: ours.startedPerS, all_final_s: ours.allFinalS, cpu_s_per_1000: ours.cpuSPer1000, cores: ours.cores, live_cores: live.cores, naive_jobs_per_s: naive.startedPerS, prow_published_jobs_per_s: prowPerS });
}
