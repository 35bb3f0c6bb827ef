/**
 * hook end to end: `/assign` and `/priority` comments made in the GitHub emulator travel as signed webhooks
 * to hook, through the intake journal, the `events` queue and the workers, to the plugins, which act on the
 * emulator; the time from posting the comment to the emulator's `issues.assigned` / `issues.labeled` webhook
 * is each command's latency. Beside it, in the same run, a Prow-style baseline: the same route and plugins,
 * but the plugins run in the request's process right after the 200, with no queue (Prow's hook handles
 * events in goroutines the same way), so nothing survives a crash. The emulator and each contender run in
 * child processes of their own. Two phases per contender: `BENCH_COMMENTS` (default 10,000) posted by
 * `BENCH_CONCURRENCY` (50) posters for throughput, then `BENCH_PACED` (1,000) at `BENCH_RATE` per second (50)
 * for latency. `BENCH_ONLY` (ours, inline) picks contenders.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/core';
import { startEmulator, EmulatorControl } from '../emulator/github/index.ts';
import { ConfigWatcher } from '../lib/config/index.ts';
import { readEnv } from '../lib/env.ts';
import { createGitHubClient } from '../lib/github/github-client.ts';
import { createRedisJobStore } from '../lib/jobs/redis-job-store.ts';
import { createLogger } from '../lib/log.ts';
import type { RedisSettings } from '../lib/queue/redis.ts';
import { plugins } from '../plugins/index.ts';
import { buildHookApp } from '../services/hook/app.ts';
import type { Intake } from '../services/hook/intake-journal.ts';
import { hook } from '../services/hook/index.ts';
import { planSteps } from '../services/hook/worker/plan-steps.ts';
import { parseWebhookSecret } from '../lib/webhooks/webhook-secrets.ts';
import { dropPrefix } from '../test/helpers/redis.ts';
import { startChildServer, stopChild } from './child-server.ts';
import { percentile, printResult, printTable } from './report.ts';

type Role = 'emulator' | 'ours' | 'inline';
const secret = 'bench-e2e-secret';
const org = 'bench';
const commenters = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const role = process.env.E2E_BENCH_ROLE as Role | undefined;

/** The plugins Kubernetes enables for comment commands; every comment runs all of them. */
const pluginsYaml = `plugins:\n  ${org}:\n    plugins: [assign, label, hold, lifecycle, lgtm, approve, help, wip, size]\n`;

/** Child side: the emulator, or one contender, on port 0; prints where it listens, stops on SIGTERM. */
async function serve(which: Role): Promise<void> {
  const env = readEnv();
  const logger = createLogger({ level: 'warn', name: `bench-${which}` });
  let url: string;
  let close: () => Promise<void>;
  if (which === 'emulator') {
    const emu = await startEmulator({ logger, rateLimit: 100_000_000 });
    url = emu.url;
    close = () => emu.close();
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'prow-bench-e2e-'));
    await writeFile(join(dir, 'config.yaml'), 'prowjob_namespace: prow\n');
    await writeFile(join(dir, 'plugins.yaml'), pluginsYaml);
    const configPaths = { configPath: join(dir, 'config.yaml'), pluginConfigPath: join(dir, 'plugins.yaml'), implementedPlugins: plugins.map((p) => p.name) };
    const apiUrl = process.env.GITHUB_API_URL ?? '';
    // Octokit's throttling spaces writes one second apart per process (GitHub's advice for one user), which
    // would make this a measure of that spacing; the emulator has no secondary limits, so both run without it.
    const client = createGitHubClient({ credentials: { kind: 'token', token: process.env.GITHUB_TOKEN ?? '' }, baseUrl: apiUrl, logger, rateLimits: { enabled: false } });
    if (which === 'ours') {
      const running = await hook.start({
        env: { ...env, port: 0 },
        logger,
        redis: { url: env.redisUrl, prefix: env.redisPrefix },
        github: { client, botLogin: 'prow-bot', emulated: true, webhookSecret: secret },
        configPaths,
      });
      url = running.webhookUrl ?? '';
      close = () => running.close();
    } else {
      const watcher = await ConfigWatcher.start({ ...configPaths, logger });
      const config = { prow: watcher.current.config, plugins: watcher.current.plugins };
      const jobs = createRedisJobStore({ url: env.redisUrl, prefix: env.redisPrefix });
      // Answer first, then run every step in this process: what Prow's hook does, and what a crash loses.
      const inline: Intake = {
        append: (job) => {
          setImmediate(() => {
            const steps = planSteps(
              { event: job.event, delivery: job.delivery, payload: JSON.parse(job.body) as Record<string, unknown>, body: job.body, headers: job.headers },
              { plugins, config, botLogin: 'prow-bot', logger, github: (o, r) => client.forRepo(o, r), jobs, unknownPlugin: () => undefined },
            );
            void Promise.allSettled(steps.map((s) => s.run()));
          });
          return Promise.resolve();
        },
        depth: () => Promise.resolve(0),
        close: () => Promise.resolve(),
      };
      const app = buildHookApp({ logger, redis: { url: env.redisUrl, prefix: env.redisPrefix }, secrets: parseWebhookSecret(secret), pluginConfig: () => config.plugins, intake: inline });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/hook`;
      close = async () => {
        await app.close();
        await jobs.close();
        watcher.close();
      };
    }
    const done = close;
    close = async () => {
      await done();
      await rm(dir, { recursive: true, force: true });
    };
  }
  process.once('SIGTERM', () => {
    void close().finally(() => process.exit(0));
  });
  console.log(`READY ${url}`);
}

function startChild(which: Role, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return startChildServer(fileURLToPath(import.meta.url), { ...env, E2E_BENCH_ROLE: which }, which).then(({ child, ready }) => ({ child, url: ready }));
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(lanes);
}

/** The emulator's webhooks about what the bot did, timestamped as they arrive. */
function effectReceiver(): Promise<{ url: string; seen: Map<string, number>; close: () => Promise<void> }> {
  const seen = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(200).end();
      const p = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { action?: string; repository?: { name: string }; issue?: { number: number }; label?: { name: string } };
      const key = p.action === 'assigned' ? 'assign' : p.action === 'labeled' && p.label?.name.startsWith('priority/') ? 'priority' : undefined;
      if (key && p.issue && p.repository) seen.set(`${p.repository.name}#${p.issue.number}:${key}`, at);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}/`, seen, close: () => new Promise((r) => server.close(() => { r(); })) });
    });
  });
}

interface Command {
  key: string;
  n: number;
  user: string;
  body: string;
}

interface Phase {
  commands: number;
  done: number;
  seconds: number;
  p50: number;
  p99: number;
}

interface Figures {
  saturated: Phase;
  steady: Phase;
}

/** Posts `commands` through `drive`, then waits for their effects (giving up after a quiet minute). */
async function measure(
  commands: readonly Command[],
  seen: ReadonlyMap<string, number>,
  drive: (send: (cmd: Command) => Promise<void>) => Promise<void>,
  post: (cmd: Command) => Promise<void>,
): Promise<Phase> {
  const postedAt = new Map<string, number>();
  const t0 = performance.now();
  await drive(async (cmd) => {
    postedAt.set(cmd.key, performance.now());
    await post(cmd);
  });
  let last = -1;
  let quietSince = performance.now();
  const done = (): number => commands.filter((cmd) => seen.has(cmd.key)).length;
  while (done() < commands.length && performance.now() - quietSince < 60_000) {
    await new Promise((r) => setTimeout(r, 200));
    const now = done();
    if (now !== last) quietSince = performance.now();
    last = now;
  }
  const latencies = commands
    .flatMap((cmd) => {
      const at = seen.get(cmd.key);
      const posted = postedAt.get(cmd.key);
      return at === undefined || posted === undefined ? [] : [at - posted];
    })
    .sort((a, b) => a - b);
  const end = Math.max(...commands.map((cmd) => seen.get(cmd.key) ?? 0));
  return { commands: commands.length, done: latencies.length, seconds: (end - t0) / 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Starts one of `items` every 1/`perSecond` s, whatever the others are doing, and waits for them all. */
async function paceAt<T>(items: readonly T[], perSecond: number, task: (item: T) => Promise<void>): Promise<void> {
  const t0 = performance.now();
  const running: Promise<void>[] = [];
  for (const [i, item] of items.entries()) {
    const due = t0 + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    running.push(task(item));
  }
  await Promise.all(running);
}

async function main(): Promise<void> {
  const env = readEnv();
  const total = Number(process.env.BENCH_COMMENTS ?? 10_000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
  const rate = Number(process.env.BENCH_RATE ?? 50);
  const pacedCount = Number(process.env.BENCH_PACED ?? 1_000);
  const only = process.env.BENCH_ONLY?.split(',');
  const contenders = ([
    { role: 'ours', label: 'prow-ts hook: journal, queue, workers (durable)' },
    { role: 'inline', label: 'Prow-style: plugins in-process after the 200 (not durable)' },
  ] as const).filter((c) => only === undefined || only.includes(c.role));
  const redis: RedisSettings = { url: env.redisUrl, prefix: `prowbench-e2e-${randomUUID().slice(0, 8)}` };

  const emulator = await startChild('emulator', {});
  const control = new EmulatorControl(emulator.url);
  const receiver = await effectReceiver();
  const figures = new Map<string, Figures>();
  try {
    const tokens: Record<string, string> = {};
    for (const login of ['admin', 'prow-bot', ...commenters]) tokens[login] = (await control.createUser({ login })).token;
    await control.createOrg({ login: org, admins: ['admin'], members: ['prow-bot', ...commenters], defaultRepoPermission: 'write' });
    const admin = new Octokit({ baseUrl: emulator.url, auth: tokens.admin });
    const as = Object.fromEntries(commenters.map((l) => [l, new Octokit({ baseUrl: emulator.url, auth: tokens[l] })]));

    for (const c of contenders) {
      // A repo per contender, its issues made before any hook listens: only the commands reach the contender.
      const repo = c.role;
      await control.createRepo({ owner: org, name: repo });
      await admin.request('POST /repos/{owner}/{repo}/labels', { owner: org, repo, name: 'priority/important-soon', color: 'ededed' });
      const issues = Array.from({ length: Math.ceil((total + pacedCount) / 2) }, (_, i) => i);
      const numbers: number[] = [];
      await pool(issues, concurrency, async () => {
        const { data } = await admin.request('POST /repos/{owner}/{repo}/issues', { owner: org, repo, title: 'bench' });
        numbers.push(data.number);
      });
      await control.waitForDeliveries();

      const started = await startChild(c.role, { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: tokens['prow-bot'] ?? '', PROW_REDIS_PREFIX: redis.prefix, PROW_REDIS_URL: redis.url });
      await control.addWebhook({ owner: org, repo, url: started.url, secret, events: ['issue_comment'] });
      await control.addWebhook({ owner: org, repo, url: receiver.url, secret, events: ['issues'] });

      const commands = numbers.flatMap((n, i) => {
        const user = commenters[i % commenters.length] ?? 'alice';
        return [
          { key: `${repo}#${n}:assign`, n, user, body: '/assign' },
          { key: `${repo}#${n}:priority`, n, user, body: '/priority important-soon' },
        ];
      });
      const post = async (cmd: Command): Promise<void> => {
        await as[cmd.user]?.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: org, repo, issue_number: cmd.n, body: cmd.body });
      };
      const flood = commands.slice(0, total);
      const paced = commands.slice(total, total + pacedCount);
      // Throughput: as fast as `concurrency` posters go, so work queues up and the pipeline runs flat out.
      const saturated = await measure(flood, receiver.seen, (send) => pool(flood, concurrency, send), post);
      // Latency: a steady rate well under capacity, so the figure is the pipeline's own, not time spent queued.
      const steady = await measure(paced, receiver.seen, (send) => paceAt(paced, rate, send), post);
      figures.set(c.role, { saturated, steady });
      await stopChild(started.child, 20_000);
      await dropPrefix(redis);
    }
  } finally {
    await receiver.close();
    await stopChild(emulator.child, 20_000);
    await dropPrefix(redis);
  }

  const rows = contenders.flatMap((c) => {
    const f = figures.get(c.role);
    const row = (phase: string, p: Phase | undefined) => ({
      contender: c.label,
      phase,
      commands: p?.commands ?? 0,
      'acted on': p?.done ?? 0,
      'commands/s': p ? p.done / p.seconds : NaN,
      'p50 ms': p?.p50 ?? NaN,
      'p99 ms': p?.p99 ?? NaN,
    });
    return [row(`flat out, ${concurrency} posters`, f?.saturated), row(`steady ${rate}/s`, f?.steady)];
  });
  printTable('hook end to end: /assign and /priority comments in the emulator, comment posted to label or assignee seen (GitHub client write spacing off)', rows);
  console.log(`Emulator, contender, Redis and this driver share the machine (${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}).`);
  console.log('Flat out, latency is mostly time queued behind the backlog; the steady rate shows the pipeline\'s own latency.');
  const ours = figures.get('ours');
  const inline = figures.get('inline');
  const per = (p: Phase | undefined): number => (p ? p.done / p.seconds : NaN);
  printResult('hook-e2e', {
    commands: ours?.saturated.commands ?? 0,
    acted_on: ours?.saturated.done ?? 0,
    throughput: per(ours?.saturated),
    p50_ms: ours?.steady.p50 ?? NaN,
    p99_ms: ours?.steady.p99 ?? NaN,
    saturated_p50_ms: ours?.saturated.p50 ?? NaN,
    saturated_p99_ms: ours?.saturated.p99 ?? NaN,
    inline_throughput: per(inline?.saturated),
    inline_p50_ms: inline?.steady.p50 ?? NaN,
    inline_p99_ms: inline?.steady.p99 ?? NaN,
  });
}

if (role === undefined) await main();
else await serve(role);
