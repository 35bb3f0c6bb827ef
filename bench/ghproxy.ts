/**
 * ghproxy: the rate-limit cost of a realistic day's slice, without the proxy and with it, in one run. The
 * GitHub emulator counts each token's cost. In each run prow-ts's real hook (journal, queue, workers, and
 * Kubernetes' plugin set) reacts to `BENCH_EVENTS` (1,000) human and CI actions (comments with commands,
 * pushes, new PRs, CI statuses, label changes) spread over `BENCH_MINUTES` (30) simulated minutes, while
 * Tide's real read-only sync (GraphQL searches, one GetRef per pool, changed files, repo settings) runs once
 * a simulated minute over `BENCH_PRS` (200) open PRs in `BENCH_REPOS` (4) repos. Both components share the
 * bot's one token, as Prow's do. The emulator and ghproxy run in child processes of their own; hook, Tide
 * and this driver share the main one. Each run gets a world of its own (same script, same seed), so neither
 * sees the other's effects. `BENCH_GHPROXY_CACHE` (memory, redis) picks ghproxy's store.
 *
 * Added latency on a hit is measured twice. Once the replay is over, up to `BENCH_PROBE` (300) paths the
 * proxied run revalidated are asked again one at a time, directly and through ghproxy in alternating order,
 * twice each (the RESULT's `hit_p50_ms`, `hit_p99_ms`). And during the replay, each REVALIDATED or COALESCED
 * request is paired with the same request (method, path, occurrence) of the direct run, as the component's
 * Octokit timed both: that figure is mostly time queued behind the load both runs put on one event loop.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, EmulatorControl } from '../emulator/github/index.ts';
import type { Usage } from '../emulator/github/control/control-types.ts';
import { loadConfigOrThrow } from '../lib/config/index.ts';
import { readEnv } from '../lib/env.ts';
import { createGitHubClient } from '../lib/github/github-client.ts';
import { createRedisJobStore } from '../lib/jobs/redis-job-store.ts';
import { createLogger } from '../lib/log.ts';
import { createQueue } from '../lib/queue/bullmq.ts';
import { queueNames } from '../lib/queue/names.ts';
import { createRedis, type RedisSettings } from '../lib/queue/redis.ts';
import { plugins } from '../plugins/index.ts';
import { buildGhproxyApp } from '../services/ghproxy/app.ts';
import { MemoryStore } from '../services/ghproxy/cache/memory-store.ts';
import { RedisStore } from '../services/ghproxy/cache/redis-store.ts';
import { readGhproxySettings } from '../services/ghproxy/ghproxy-settings.ts';
import { hook } from '../services/hook/index.ts';
import { createChangedFilesAgent, createRepoMergeMethodsReader, poolJobsFromStore, syncTide } from '../services/tide/sync/index.ts';
import { dropPrefix } from '../test/helpers/redis.ts';
import { startChildServer, stopChild } from './child-server.ts';
import { people, perform, script } from './ghproxy/replay.ts';
import { hitLatency, modeCounts, probeHits, recordRequests, topKeys, type HitLatency, type Sample } from './ghproxy/timing.ts';
import { bot, createPeople, seedWorld, writeConfig } from './ghproxy/world.ts';
import { printResult, printTable } from './report.ts';

type Role = 'emulator' | 'ghproxy';
const role = process.env.GHPROXY_BENCH_ROLE as Role | undefined;
const secret = 'bench-ghproxy-secret';

/** Child side: the emulator, or ghproxy in front of it, on port 0; prints where it listens, stops on SIGTERM. */
async function serve(which: Role): Promise<void> {
  const logger = createLogger({ level: 'error', name: `bench-${which}` });
  let url: string;
  let close: () => Promise<void>;
  if (which === 'emulator') {
    const emu = await startEmulator({ logger, rateLimit: 1_000_000_000 });
    url = emu.url;
    close = () => emu.close();
  } else {
    const env = readEnv();
    const settings = readGhproxySettings();
    const store = settings.cache.kind === 'redis' ? new RedisStore(createRedis({ url: env.redisUrl, prefix: env.redisPrefix }), env.redisPrefix, settings.cache) : new MemoryStore(settings.cache);
    const app = buildGhproxyApp({ logger, upstream: process.env.GHPROXY_UPSTREAM ?? '', store, settings });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${String(typeof address === 'object' && address !== null ? address.port : 0)}`;
    close = async () => {
      await app.close();
      await store.close();
    };
  }
  process.once('SIGTERM', () => {
    void close().finally(() => process.exit(0));
  });
  console.log(`READY ${url}`);
}

interface Run {
  usage: Usage;
  /** The bot's total cost after each simulated minute. */
  costByMinute: number[];
  /** Hits asked again one at a time once the replay is over (the proxied run only). */
  probe: HitLatency | undefined;
  samples: Sample[];
  deliveries: number;
  seconds: number;
  syncs: number;
  pooled: number;
  metrics: string | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until every webhook is delivered, hook's queue is empty and the bot has stopped calling GitHub. */
async function settle(control: EmulatorControl, token: string, queue: ReturnType<typeof createQueue>): Promise<void> {
  let last = '';
  let stable = 0;
  for (;;) {
    const { deliveries } = await control.request<{ deliveries: number }>('POST', '/deliveries/wait');
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const pending = Object.values(counts).reduce((a, b) => a + b, 0);
    const requests = (await control.usage(token))[token]?.requests ?? 0;
    const state = `${String(pending)}:${String(requests)}:${String(deliveries)}`;
    stable = pending === 0 && state === last ? stable + 1 : 0;
    if (stable >= 2) return;
    last = state;
    await sleep(150);
  }
}

async function run(kind: 'direct' | 'ghproxy', emulatorUrl: string, tokens: Record<string, string>, o: { events: number; minutes: number; prs: number; repos: number; cache: string; probe: number }): Promise<Run> {
  const control = new EmulatorControl(emulatorUrl);
  const world = await seedWorld(control, emulatorUrl, tokens, `bench-${kind}`, o.repos, o.prs);
  const dir = await mkdtemp(join(tmpdir(), `prow-bench-ghproxy-${kind}-`));
  const configPaths = await writeConfig(dir, world, plugins.map((p) => p.name));
  const config = (await loadConfigOrThrow(configPaths)).config;
  const { token } = await control.createToken(bot);
  const env = readEnv();
  const redis: RedisSettings = { url: env.redisUrl, prefix: `prowbench-ghproxy-${kind}-${randomUUID().slice(0, 8)}` };
  let proxy: ChildProcess | undefined;
  let baseUrl = emulatorUrl;
  if (kind === 'ghproxy') {
    const started = await startChildServer(
      fileURLToPath(import.meta.url),
      { GHPROXY_BENCH_ROLE: 'ghproxy', GHPROXY_UPSTREAM: emulatorUrl, GHPROXY_CACHE: o.cache, PROW_REDIS_PREFIX: redis.prefix, PROW_REDIS_URL: redis.url },
      'ghproxy',
    );
    proxy = started.child;
    baseUrl = started.ready;
  }
  const logger = createLogger({ level: 'error', name: `bench-${kind}` });
  // Octokit's write spacing (a second per write, GitHub's advice) would make this a measure of waiting; the
  // emulator has no secondary limits, so both runs go without it.
  const client = createGitHubClient({ credentials: { kind: 'token', token }, baseUrl, logger, rateLimits: { enabled: false } });
  const samples: Sample[] = [];
  recordRequests(client.octokit, baseUrl, world.org, samples);
  const running = await hook.start({ env: { ...env, port: 0 }, logger, redis, github: { client, botLogin: bot, emulated: true, webhookSecret: secret }, configPaths });
  let hookRunning = true;
  const stopHook = async (): Promise<void> => {
    if (!hookRunning) return;
    hookRunning = false;
    await running.close();
  };
  const queue = createQueue(redis, queueNames.events);
  const jobs = createRedisJobStore(redis);
  try {
    await control.addWebhook({ owner: world.org, url: running.webhookUrl ?? '', secret });
    const changedFiles = createChangedFilesAgent(client.octokit);
    const repoMethods = createRepoMergeMethodsReader(client.octokit);
    const as = people(emulatorUrl, tokens);
    let syncs = 0;
    let pooled = 0;
    const t0 = performance.now();
    const phases = { actions: 0, sync: 0, settle: 0 };
    const costByMinute: number[] = [];
    for (const [i, minute] of script(world, o.events, o.minutes).entries()) {
      let t = performance.now();
      for (const action of minute) await perform(action, world, control, as);
      phases.actions += performance.now() - t;
      t = performance.now();
      // Tide's sync runs while hook works through the minute's events, as both would in a cluster.
      const snapshot = await syncTide(client.octokit, config, { changedFiles, repoMethods, jobs: poolJobsFromStore(jobs), log: logger });
      phases.sync += performance.now() - t;
      t = performance.now();
      syncs += 1;
      pooled = snapshot.pools.reduce((n, p) => n + p.pulls.length, 0) + snapshot.outside.length;
      await settle(control, token, queue);
      phases.settle += performance.now() - t;
      costByMinute.push((await control.usage(token))[token]?.cost ?? 0);
      const s = (ms: number): string => (ms / 1000).toFixed(1);
      process.stderr.write(`${kind}: minute ${String(i + 1)}/${String(o.minutes)} (actions ${s(phases.actions)} s, Tide ${s(phases.sync)} s, hook settling ${s(phases.settle)} s so far)\n`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const usage = (await control.usage(token))[token];
    if (usage === undefined) throw new Error('the emulator counted nothing for the bot');
    const metrics = proxy === undefined ? undefined : await (await fetch(`${baseUrl}/metrics`)).text();
    const deliveries = (await control.deliveries()).filter((d) => d.url === running.webhookUrl).length;
    await stopHook();
    let probe: HitLatency | undefined;
    if (proxy !== undefined) {
      // After the cost is read: the direct half of the probe spends the bot's budget.
      const straight = createGitHubClient({ credentials: { kind: 'token', token }, baseUrl: emulatorUrl, logger, rateLimits: { enabled: false } }).octokit;
      const through = createGitHubClient({ credentials: { kind: 'token', token }, baseUrl, logger, rateLimits: { enabled: false } }).octokit;
      const paths = [...new Set(samples.filter((s) => s.mode === 'REVALIDATED' && s.method === 'GET').map((s) => s.path))].slice(0, o.probe);
      probe = await probeHits(
        paths,
        (path) => straight.request(`GET ${path}`),
        async (path) => String((await through.request(`GET ${path}`)).headers['x-cache-mode']),
        2,
      );
    }
    return { usage, costByMinute, probe, samples, deliveries, seconds, syncs, pooled, metrics };
  } finally {
    await stopHook();
    await queue.close();
    await jobs.close();
    if (proxy !== undefined) await stopChild(proxy);
    await dropPrefix(redis);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The upper bound of the bucket holding the median of a Prometheus histogram series, in milliseconds. */
function histogramMedianMs(metrics: string | undefined, name: string, label: string): string {
  if (metrics === undefined) return 'n/a';
  const buckets = metrics
    .split('\n')
    .filter((l) => l.startsWith(`${name}_bucket{`) && l.includes(label))
    .map((l) => ({ le: /le="([^"]+)"/.exec(l)?.[1] ?? '+Inf', count: Number(l.split(' ').pop()) }));
  const total = buckets.find((b) => b.le === '+Inf')?.count ?? 0;
  const median = buckets.find((b) => b.count >= total / 2);
  return total === 0 || median === undefined ? 'n/a' : median.le === '+Inf' ? '> largest bucket' : `<= ${String(Number(median.le) * 1000)} ms`;
}

async function main(): Promise<void> {
  const o = {
    events: Number(process.env.BENCH_EVENTS ?? 1_000),
    minutes: Number(process.env.BENCH_MINUTES ?? 30),
    prs: Number(process.env.BENCH_PRS ?? 200),
    repos: Number(process.env.BENCH_REPOS ?? 4),
    cache: process.env.BENCH_GHPROXY_CACHE ?? 'memory',
    probe: Number(process.env.BENCH_PROBE ?? 300),
  };
  const emulator = await startChildServer(fileURLToPath(import.meta.url), { GHPROXY_BENCH_ROLE: 'emulator' }, 'emulator');
  const control = new EmulatorControl(emulator.ready);
  let direct: Run;
  let proxied: Run;
  try {
    const tokens = await createPeople(control);
    direct = await run('direct', emulator.ready, tokens, o);
    proxied = await run('ghproxy', emulator.ready, tokens, o);
  } finally {
    await stopChild(emulator.child, 20_000);
  }

  const modes = modeCounts(proxied.samples);
  const n = (mode: string): number => modes[mode] ?? 0;
  const resource = (r: Run, name: string): number => r.usage.resources[name]?.cost ?? 0;
  const savings = 1 - proxied.usage.cost / direct.usage.cost;
  const coreSavings = 1 - resource(proxied, 'core') / resource(direct, 'core');
  // Steady state: the cost of the minutes after the first third, when the cache has seen most PRs once.
  const warmFrom = Math.max(0, Math.floor(o.minutes / 3) - 1);
  const spent = (r: Run): number => (r.costByMinute[r.costByMinute.length - 1] ?? 0) - (r.costByMinute[warmFrom] ?? 0);
  const warmSavings = 1 - spent(proxied) / spent(direct);
  // What no correct cache could answer for free: writes, GraphQL, errors and other non-200 answers.
  const ceiling = 1 - (n('SKIP') + n('NO-STORE')) / proxied.samples.length;
  const gets = n('MISS') + n('CHANGED') + n('REVALIDATED') + n('COALESCED');
  const hitRatio = (n('REVALIDATED') + n('COALESCED')) / proxied.samples.length;
  const revalidationRatio = n('REVALIDATED') / (n('REVALIDATED') + n('CHANGED'));
  const latency = hitLatency(direct.samples, proxied.samples);
  const col = (r: Run | undefined, f: (r: Run) => number | string): number | string => (r === undefined ? '' : f(r));
  const rows = [
    { measure: 'human and CI actions (webhook sources)', direct: o.events, ghproxy: o.events },
    { measure: 'webhooks hook took', direct: direct.deliveries, ghproxy: proxied.deliveries },
    { measure: 'Tide syncs (PRs judged in the last)', direct: `${String(direct.syncs)} (${String(direct.pooled)})`, ghproxy: `${String(proxied.syncs)} (${String(proxied.pooled)})` },
    { measure: 'bot requests to GitHub (Octokit calls)', direct: direct.samples.length, ghproxy: proxied.samples.length },
    { measure: 'rate-limit cost: REST (core)', direct: resource(direct, 'core'), ghproxy: resource(proxied, 'core') },
    { measure: 'rate-limit cost: GraphQL', direct: resource(direct, 'graphql'), ghproxy: resource(proxied, 'graphql') },
    { measure: 'rate-limit cost: total', direct: direct.usage.cost, ghproxy: proxied.usage.cost },
    { measure: 'saved, whole run (cold cache at the start)', direct: '', ghproxy: `${(100 * savings).toFixed(1)}%` },
    { measure: `saved, minutes ${String(warmFrom + 2)} to ${String(o.minutes)} (warm)`, direct: '', ghproxy: `${(100 * warmSavings).toFixed(1)}%` },
    { measure: 'ceiling: share not writes, GraphQL or non-200s', direct: '', ghproxy: `${(100 * ceiling).toFixed(1)}%` },
    { measure: 'requests GitHub answered (304s free)', direct: direct.usage.requests, ghproxy: proxied.usage.requests },
    { measure: 'free 304s', direct: direct.usage.notModified, ghproxy: proxied.usage.notModified },
    { measure: 'wall time, s', direct: col(direct, (r) => r.seconds), ghproxy: col(proxied, (r) => r.seconds) },
  ];
  printTable(`ghproxy: ${String(o.events)} events to hook and ${String(o.minutes)} Tide syncs over ${String(o.prs)} PRs, one bot token, through the emulator (cache: ${o.cache})`, rows);
  printTable('ghproxy: responses by X-Cache-Mode (the proxied run)', [
    ...['MISS', 'CHANGED', 'REVALIDATED', 'COALESCED', 'SKIP', 'NO-STORE', 'ERROR'].map((mode) => ({ mode, responses: n(mode), share: `${((100 * n(mode)) / proxied.samples.length).toFixed(1)}%` })),
    { mode: 'hit ratio (REVALIDATED + COALESCED) / all', responses: n('REVALIDATED') + n('COALESCED'), share: `${(100 * hitRatio).toFixed(1)}%` },
    { mode: 'revalidation ratio REVALIDATED / (REVALIDATED + CHANGED)', responses: n('REVALIDATED'), share: `${(100 * revalidationRatio).toFixed(1)}%` },
    { mode: 'cacheable GETs', responses: gets, share: `${((100 * gets) / proxied.samples.length).toFixed(1)}%` },
  ]);
  const probe = proxied.probe;
  const latencyRows = (label: string, l: HitLatency | undefined): Record<string, string | number>[] => [
    { pairs: label, side: 'direct to GitHub (the emulator)', 'p50 ms': l?.directP50 ?? NaN, 'p99 ms': l?.directP99 ?? NaN },
    { pairs: '', side: 'through ghproxy, answered as a hit', 'p50 ms': l?.hitP50 ?? NaN, 'p99 ms': l?.hitP99 ?? NaN },
    { pairs: '', side: 'added by ghproxy', 'p50 ms': (l?.hitP50 ?? NaN) - (l?.directP50 ?? NaN), 'p99 ms': (l?.hitP99 ?? NaN) - (l?.directP99 ?? NaN) },
  ];
  printTable('ghproxy: latency of hits, each paired with the same request made directly', [
    ...latencyRows(`one at a time after the replay (${String(probe?.pairs ?? 0)})`, probe),
    ...latencyRows(`during the replay, under load (${String(latency.pairs)})`, latency),
  ]);
  if (process.env.BENCH_DETAIL !== undefined) {
    for (const mode of ['MISS', 'CHANGED', 'NO-STORE', 'SKIP', 'REVALIDATED', 'COALESCED']) {
      printTable(`ghproxy: the routes answered ${mode} most often`, topKeys(proxied.samples, mode, 12).map(([route, count]) => ({ route, count })));
    }
  }
  console.log(`ghproxy's own time on a revalidated hit (its histogram, beyond the upstream exchange): ${histogramMedianMs(proxied.metrics, 'prow_ghproxy_overhead_seconds', 'mode="REVALIDATED"')} at p50.`);
  console.log(`Emulator, ghproxy, hook, Tide, Redis and this driver share the machine (${String(availableParallelism())} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}).`);
  printResult('ghproxy', {
    savings,
    warm_savings: warmSavings,
    ceiling,
    core_savings: coreSavings,
    hit_p50_ms: (probe?.hitP50 ?? NaN) - (probe?.directP50 ?? NaN),
    hit_p99_ms: (probe?.hitP99 ?? NaN) - (probe?.directP99 ?? NaN),
    loaded_hit_p50_ms: latency.hitP50 - latency.directP50,
    hit_ratio: hitRatio,
    revalidation_ratio: revalidationRatio,
    coalesced: n('COALESCED'),
    cost_direct: direct.usage.cost,
    cost_ghproxy: proxied.usage.cost,
    events: o.events,
    syncs: proxied.syncs,
  });
}

if (role === undefined) await main();
else await serve(role);
