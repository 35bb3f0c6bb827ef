/**
 * Boskos under load: 100 clients (one owner each) cycling acquire (with a request id, the job contract),
 * heartbeat (/update) and release over 1,000 resources through real HTTP, each call an operation. Every
 * lease is checked against the load generator's own record of who holds what (double leases). Beside
 * prow-ts: the same HTTP routes over a WATCH/MULTI ranch (Boskos' read-then-compare-and-swap model, on
 * Redis), over process memory (the HTTP ceiling: no durability, one replica), and the contention Boskos
 * itself documented before its fix (test-infra#15557). Servers run in child processes, the load generator
 * here. BENCH_DURATION (s, 60), BENCH_BASELINE_DURATION (s, 15), BENCH_CLIENTS (100), BENCH_RESOURCES
 * (1000), BENCH_REPLICAS (prow-ts replicas, 1), BENCH_PACE (total ops/s the paced run offers, 5000) and
 * BENCH_ONLY (ours,watch-multi,memory) tune a run.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readEnv } from '../lib/env.ts';
import { createLogger } from '../lib/log.ts';
import type { RedisSettings } from '../lib/queue/redis.ts';
import { buildBoskosApp } from '../services/boskos/app.ts';
import { syncResources } from '../services/boskos/resources/config-sync.ts';
import type { Ranch } from '../services/boskos/ranch/ranch.ts';
import { openRanchRedis } from '../services/boskos/ranch/ranch-redis.ts';
import { RedisRanch } from '../services/boskos/ranch/redis-ranch.ts';
import { parseResourcesConfig } from '../services/boskos/resources/resources-config.ts';
import { runLeaseLoad, type LeaseLoadResult } from '../services/boskos/testing/lease-load.ts';
import { dropPrefix } from '../test/helpers/redis.ts';
import { MemoryRanch } from './boskos/memory-ranch.ts';
import { RawBoskosClient } from './boskos/raw-client.ts';
import { WatchMultiRanch } from './boskos/watch-multi-ranch.ts';
import { startChildServer, stopChild } from './child-server.ts';
import { percentile, printResult, printTable } from './report.ts';

type Role = 'ours' | 'watch-multi' | 'memory';
const role = process.env.BOSKOS_BENCH_ROLE as Role | undefined;
const type = 'bench-project';
const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `bench-${String(i).padStart(5, '0')}`);

/** Child side: one server on port 0 over the role's ranch, seeded with the resources; `READY <port>`. */
async function serve(which: Role, redis: RedisSettings, resources: number, seed: boolean): Promise<void> {
  const logger = createLogger({ level: 'warn', name: `bench-boskos-${which}` });
  let ranch: Ranch;
  let close = (): void => undefined;
  if (which === 'memory') {
    ranch = new MemoryRanch(type, names(resources));
  } else if (which === 'watch-multi') {
    const wm = new WatchMultiRanch(redis.url, redis.prefix);
    if (seed) await wm.setup(type, names(resources));
    ranch = wm;
    close = () => {
      wm.close();
    };
  } else {
    const conn = await openRanchRedis(redis, `${redis.prefix}-bench`, logger);
    const ours = new RedisRanch({ redis: conn, prefix: redis.prefix });
    if (seed) {
      const { config } = parseResourcesConfig('bench.yaml', `resources:\n- type: ${type}\n  names: [${names(resources).join(', ')}]\n`);
      await syncResources(ours, config, logger);
    }
    ranch = ours;
    close = () => {
      conn.disconnect();
    };
  }
  const app = buildBoskosApp({ logger, ranch });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.once('SIGTERM', () => {
    void app.close().finally(() => {
      close();
      process.exit(0);
    });
  });
  console.log(`READY ${typeof address === 'object' && address !== null ? address.port : 0}`);
}

async function startServers(which: Role, redis: RedisSettings, resources: number, replicas: number): Promise<{ children: ChildProcess[]; urls: string[] }> {
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  for (let i = 0; i < replicas; i++) {
    const env = { BOSKOS_BENCH_ROLE: which, BOSKOS_BENCH_RESOURCES: String(resources), BOSKOS_BENCH_SEED: i === 0 ? '1' : '', PROW_REDIS_URL: redis.url, PROW_REDIS_PREFIX: redis.prefix };
    const { child, ready } = await startChildServer(fileURLToPath(import.meta.url), env, `${which} server`);
    children.push(child);
    urls.push(`http://127.0.0.1:${ready}`);
  }
  return { children, urls };
}

interface Figures {
  opsPerS: number;
  p50: number;
  p99: number;
  leases: number;
  doubleLeases: number;
  wrong: number;
}

function figuresOf(r: LeaseLoadResult): Figures {
  return { opsPerS: r.ops / (r.elapsedMs / 1000), p50: percentile(r.acquireMs, 50), p99: percentile(r.acquireMs, 99), leases: r.acquired, doubleLeases: r.doubleLeases.length, wrong: r.wrong.length };
}

async function main(): Promise<void> {
  const env = readEnv();
  const seconds = Number(process.env.BENCH_DURATION ?? 60);
  const baselineSeconds = Number(process.env.BENCH_BASELINE_DURATION ?? 15);
  const clients = Number(process.env.BENCH_CLIENTS ?? 100);
  const resources = Number(process.env.BENCH_RESOURCES ?? 1000);
  const replicas = Number(process.env.BENCH_REPLICAS ?? 1);
  const only = process.env.BENCH_ONLY?.split(',');
  const pace = Number(process.env.BENCH_PACE ?? 5000);
  interface Run {
    key: string;
    role: Role;
    label: string;
    seconds: number;
    replicas: number;
    /** Offered ops/s in total (open loop), or as fast as answers come. */
    offered?: number;
  }
  const all: Run[] = [
    { key: 'ours', role: 'ours', label: `prow-ts boskos: Redis + Lua${replicas > 1 ? `, ${replicas} replicas` : ''}, flat out`, seconds, replicas },
    { key: 'ours-paced', role: 'ours', label: `prow-ts boskos: Redis + Lua, ${pace.toLocaleString('en-US')} ops/s offered`, seconds, replicas, offered: pace },
    { key: 'watch-multi', role: 'watch-multi', label: 'same API over WATCH/MULTI (Boskos-style CAS + retry), flat out', seconds: baselineSeconds, replicas: 1 },
    { key: 'memory', role: 'memory', label: 'same API over process memory (no durability, no HA), flat out', seconds: baselineSeconds, replicas: 1 },
  ];
  const runs = only === undefined ? all : all.filter((c) => only.includes(c.role));
  const figures = new Map<string, Figures>();
  const failures: string[] = [];
  for (const c of runs) {
    const redis: RedisSettings = { url: env.redisUrl, prefix: `prowbench-boskos-${randomUUID().slice(0, 8)}` };
    const { children, urls } = await startServers(c.role, redis, resources, c.replicas);
    try {
      const connect = (url: string, owner: string): RawBoskosClient => new RawBoskosClient(url, owner);
      const pacePerClient = c.offered === undefined ? undefined : c.offered / clients;
      await runLeaseLoad({ urls, clients, durationMs: 2_000, type, requestIds: true, connect, pacePerClient });
      const result = await runLeaseLoad({ urls, clients, durationMs: c.seconds * 1000, type, heartbeats: 1, requestIds: true, connect, pacePerClient });
      figures.set(c.key, figuresOf(result));
      failures.push(...result.doubleLeases.slice(0, 3), ...result.wrong.slice(0, 3));
    } finally {
      for (const child of children) await stopChild(child);
      await dropPrefix(redis);
    }
  }
  const rows: Record<string, string | number>[] = runs.map((c) => {
    const f = figures.get(c.key);
    return { server: c.label, seconds: c.seconds, 'ops/s': f?.opsPerS ?? NaN, 'acquire p50 ms': f?.p50 ?? NaN, 'acquire p99 ms': f?.p99 ?? NaN, leases: f?.leases ?? 0, 'double leases': f?.doubleLeases ?? 0 };
  });
  rows.push({ server: 'Boskos before its fix, as documented (test-infra#15557)', seconds: '', 'ops/s': '', 'acquire p50 ms': '~90,000', 'acquire p99 ms': '', leases: '', 'double leases': '' });
  printTable(`boskos: ${clients} clients cycling acquire (request_id), heartbeat, release over ${resources.toLocaleString('en-US')} resources, real HTTP, after a 2 s warm-up`, rows);
  console.log(
    [
      `Load generator, servers and Redis share this machine (${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}): compare the rows, not the absolute figures.`,
      `Flat out, ${clients} clients each waiting for its answer keep ${clients} requests in flight, so the mean latency is ${clients} / throughput (Little's law);`,
      `the paced row offers ${pace.toLocaleString('en-US')} ops/s in total and shows the latency at that load.`,
      "Boskos measured ~90 s median on /acquire, /update, /reset and /release on OpenShift's instance (a global lock plus a full LIST per call); reading from the informer cache, retrying on conflict and dropping the lock fixed it.",
    ].join('\n'),
  );
  for (const f of failures) console.log(`!! ${f}`);
  const ours = figures.get('ours');
  const paced = figures.get('ours-paced');
  printResult('boskos', {
    ops_per_s: ours?.opsPerS ?? NaN,
    p99_acquire_ms: paced?.p99 ?? NaN,
    p50_acquire_ms: paced?.p50 ?? NaN,
    paced_offered_ops_per_s: pace,
    paced_ops_per_s: paced?.opsPerS ?? NaN,
    flat_out_p50_acquire_ms: ours?.p50 ?? NaN,
    flat_out_p99_acquire_ms: ours?.p99 ?? NaN,
    double_leases: (ours?.doubleLeases ?? 0) + (paced?.doubleLeases ?? 0),
    wrong_answers: (ours?.wrong ?? 0) + (paced?.wrong ?? 0),
    leases: (ours?.leases ?? 0) + (paced?.leases ?? 0),
    watch_multi_ops_per_s: figures.get('watch-multi')?.opsPerS ?? NaN,
    watch_multi_p99_acquire_ms: figures.get('watch-multi')?.p99 ?? NaN,
    memory_ops_per_s: figures.get('memory')?.opsPerS ?? NaN,
    boskos_documented_median_acquire_ms: 90_000,
    load_avg_1m: loadavg()[0] ?? NaN,
  });
}

if (role === undefined) {
  await main();
} else {
  const env = readEnv();
  await serve(role, { url: env.redisUrl, prefix: env.redisPrefix }, Number(process.env.BOSKOS_BENCH_RESOURCES ?? 1000), process.env.BOSKOS_BENCH_SEED === '1');
}
